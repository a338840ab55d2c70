package nsql

import (
	rq "github.com/rqlite/sql"
)

func (p *printer) createIndex(s *rq.CreateIndexStatement) {
	noSchema(s.Schema)
	if s.Name == nil || s.Table == nil || len(s.Columns) == 0 {
		unsupported("incomplete CREATE INDEX")
	}
	p.t("CREATE")
	if s.Unique.IsValid() {
		p.t("UNIQUE")
	}
	p.t("INDEX")
	p.created("index", s.IfNotExists, s.Name.Name)
	p.t("ON")
	p.object("table", s.Table.Name)
	p.push(p.ownTable(s.Table.Name))
	defer p.pop()
	p.t("(")
	p.indexedColumns(s.Columns)
	p.t(")")
	p.where(s.WhereExpr)
}

func (p *printer) createView(s *rq.CreateViewStatement) {
	if s.Name == nil {
		unsupported("CREATE VIEW without a name")
	}
	p.kw("CREATE", "VIEW")
	p.created("view", s.IfNotExists, s.Name.Name)
	if len(s.Columns) > 0 {
		p.columnList(s.Columns)
	}
	p.t("AS")
	p.selectStmt(s.Select, true)
}

func (p *printer) createTrigger(s *rq.CreateTriggerStatement) {
	if s.Temp.IsValid() {
		forbid("temporary triggers are not allowed")
	}
	if s.Name == nil || s.Table == nil || len(s.Body) == 0 {
		unsupported("incomplete CREATE TRIGGER")
	}
	p.kw("CREATE", "TRIGGER")
	p.created("trigger", s.IfNotExists, s.Name.Name)
	switch {
	case s.Before.IsValid():
		p.t("BEFORE")
	case s.After.IsValid():
		p.t("AFTER")
	case s.InsteadOf.IsValid():
		p.kw("INSTEAD", "OF")
	}
	switch {
	case s.Delete.IsValid():
		p.t("DELETE")
	case s.Insert.IsValid():
		p.t("INSERT")
	case s.Update.IsValid():
		p.t("UPDATE")
		if s.UpdateOf.IsValid() {
			p.t("OF")
			p.identList("column", s.UpdateOfColumns)
		}
	default:
		unsupported("trigger without DELETE, INSERT or UPDATE")
	}
	p.t("ON")
	p.object("table", s.Table.Name)
	if s.ForEachRow.IsValid() {
		p.kw("FOR", "EACH", "ROW")
	}
	if s.WhenExpr != nil {
		p.t("WHEN")
		p.expr(s.WhenExpr)
	}
	p.t("BEGIN")
	p.trigger = true
	for _, st := range s.Body {
		switch st := st.(type) {
		case *rq.SelectStatement:
			p.selectStmt(st, false)
		case *rq.InsertStatement:
			p.insert(st)
		case *rq.UpdateStatement:
			p.update(st)
		case *rq.DeleteStatement:
			p.delete(st)
		default:
			unsupported("%T in a trigger", st)
		}
		p.glue(";")
	}
	p.trigger = false
	p.t("END")
}

// drop writes DROP TABLE/INDEX/VIEW/TRIGGER [IF EXISTS] name.
func (p *printer) drop(what string, ifExists bool, schema, name *rq.Ident) {
	noSchema(schema)
	if name == nil {
		unsupported("DROP without a name")
	}
	p.kw("DROP", upperASCII(what))
	if ifExists {
		p.kw("IF", "EXISTS")
	}
	p.object(what, name.Name)
}

func (p *printer) alterTable(s *rq.AlterTableStatement) {
	noSchema(s.Schema)
	if s.Name == nil {
		unsupported("ALTER TABLE without a name")
	}
	p.kw("ALTER", "TABLE")
	p.object("table", s.Name.Name)
	switch {
	case s.NewName != nil:
		p.kw("RENAME", "TO")
		p.object("table", s.NewName.Name)
	case s.ColumnName != nil && s.NewColumnName != nil:
		p.kw("RENAME", "COLUMN")
		p.ident("column", s.ColumnName.Name)
		p.t("TO")
		p.ident("column", s.NewColumnName.Name)
	case s.ColumnDef != nil:
		p.push(p.ownTable(s.Name.Name))
		defer p.pop()
		p.kw("ADD", "COLUMN")
		p.columnDef(s.ColumnDef)
	case s.DropColumnName != nil:
		p.kw("DROP", "COLUMN")
		p.ident("column", s.DropColumnName.Name)
	default:
		unsupported("ALTER TABLE without RENAME, ADD or DROP")
	}
}
