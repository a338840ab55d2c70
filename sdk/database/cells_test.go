package database

import (
	"testing"
	"time"
)

func TestCells(t *testing.T) {
	if CellString("a") != "a" || CellString([]byte("b")) != "b" || CellString(int64(1)) != "" || CellString(nil) != "" {
		t.Error("CellString")
	}
	if CellInt(int64(7)) != 7 || CellInt(float64(7.9)) != 7 || CellInt("7") != 0 || CellInt(nil) != 0 {
		t.Error("CellInt")
	}
	if string(CellBytes([]byte("x"))) != "x" || string(CellBytes("y")) != "y" || CellBytes(int64(1)) != nil {
		t.Error("CellBytes")
	}
	if !CellTime(int64(1700000000123)).Equal(time.UnixMilli(1700000000123)) || !CellTime(nil).IsZero() || !CellTime(int64(0)).IsZero() {
		t.Error("CellTime")
	}
}
