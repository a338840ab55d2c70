package orm_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/orm"
)

// Person is the row type of the examples.
type Person struct {
	ID    int64   `db:"id,pk,auto"`
	Name  string  `db:"name"`
	Email *string `db:"email"` // NULL ↔ nil
	Notes string  `db:"-"`     // not a column
}

func ExampleBuilder_SQL() {
	db := orm.New(client.New("http://127.0.0.1:6001").Database()) // SQL() sends nothing

	q, args := db.Table("users").Alias("u").
		Select("u.id", "u.name", "o.total AS amount").
		InnerJoin("orders o", "o.user_id = u.id").
		Where("o.total > ?", 100).
		OrWhere("u.name = ?", "ada").
		OrderBy("o.total DESC").
		Limit(10).Offset(20).
		SQL()
	fmt.Println(q)
	fmt.Println(args)

	bad := db.Table("users; DROP TABLE users")
	fmt.Println(bad.Err())
	// Output:
	// SELECT u.id, u.name, o.total AS amount FROM users AS u INNER JOIN orders AS o ON o.user_id = u.id WHERE (o.total > ?) OR (u.name = ?) ORDER BY o.total DESC LIMIT 10 OFFSET 20
	// [100 ada]
	// invalid: orm: table name "users; DROP TABLE users" is not an identifier
}

func ExampleRepository() {
	gw := mustGateway() // the /v1/rqlite routes over an in-memory SQLite
	defer gw.Close()
	ctx := context.Background()
	c := client.New(gw.URL)
	if err := c.Database().CreateTable(ctx, "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)"); err != nil {
		log.Fatal(err)
	}
	people := orm.NewRepository[Person](orm.New(c.Database()), "people")

	email := "ada@example.com"
	ada := Person{Name: "Ada", Email: &email}
	grace := Person{Name: "Grace"}
	for _, p := range []*Person{&ada, &grace} {
		if err := people.Save(ctx, p); err != nil { // INSERT: the pk is zero
			log.Fatal(err)
		}
	}
	fmt.Println("ids:", ada.ID, grace.ID)

	grace.Name = "Grace Hopper"
	if err := people.Save(ctx, &grace); err != nil { // UPDATE by pk
		log.Fatal(err)
	}
	all, err := people.Find(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range all {
		fmt.Printf("%d %s email=%v\n", p.ID, p.Name, p.Email != nil)
	}

	one, err := people.FindOne(ctx, map[string]any{"email": nil})
	fmt.Println("no email:", one.Name, err)

	if err := people.Remove(ctx, &ada); err != nil {
		log.Fatal(err)
	}
	_, err = people.FindOne(ctx, map[string]any{"name": "Ada"})
	var e *sdk.Error
	fmt.Println(errors.As(err, &e) && e.Code == sdk.CodeNotFound, err)
	// Output:
	// ids: 1 2
	// 1 Ada email=true
	// 2 Grace Hopper email=false
	// no email: Grace Hopper <nil>
	// true not_found: orm: no row of people matches
}

func ExampleBuilder_GetMany() {
	gw := mustGateway()
	defer gw.Close()
	ctx := context.Background()
	c := client.New(gw.URL)
	err := c.Database().Statements(ctx,
		"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
		"CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total REAL)",
		"INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'grace'), (3, 'linus')",
		"INSERT INTO orders (user_id, total) VALUES (1, 12.5), (1, 30), (2, 7.25)",
	)
	if err != nil {
		log.Fatal(err)
	}
	db := orm.New(c.Database())

	type spend struct {
		Name   string   `db:"name"`
		Orders int      `db:"orders"`
		Total  *float64 `db:"total"` // NULL for a user without orders
	}
	var rows []spend
	err = db.Table("users").Alias("u").
		Select("u.name").SelectExpr("COUNT(o.id) AS orders").SelectExpr("SUM(o.total) AS total").
		LeftJoin("orders o", "o.user_id = u.id").
		GroupBy("u.id").
		OrderBy("u.name").
		GetMany(ctx, &rows)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		if r.Total == nil {
			fmt.Printf("%s: %d orders\n", r.Name, r.Orders)
			continue
		}
		fmt.Printf("%s: %d orders, %.2f\n", r.Name, r.Orders, *r.Total)
	}
	// Output:
	// ada: 2 orders, 42.50
	// grace: 1 orders, 7.25
	// linus: 0 orders
}

func ExampleTx_Commit() {
	gw := mustGateway()
	defer gw.Close()
	ctx := context.Background()
	c := client.New(gw.URL)
	err := c.Database().Statements(ctx,
		"CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT, balance INTEGER CHECK (balance >= 0))",
		"INSERT INTO accounts (owner, balance) VALUES ('ada', 100), ('grace', 0)",
	)
	if err != nil {
		log.Fatal(err)
	}
	db := orm.New(c.Database())
	type account struct {
		ID      int64  `db:"id,pk,auto"`
		Owner   string `db:"owner"`
		Balance int64  `db:"balance"`
	}
	accounts := orm.NewRepository[account](db, "accounts")
	transfer := func(amount int64) error {
		tx := db.Tx()
		tx.Exec("UPDATE accounts SET balance = balance - ? WHERE owner = ?", amount, "ada")
		tx.Exec("UPDATE accounts SET balance = balance + ? WHERE owner = ?", amount, "grace")
		audit := account{Owner: "audit", Balance: amount}
		if _, err := accounts.SaveTx(tx, &audit); err != nil {
			return err
		}
		_, err := tx.Commit(ctx) // one request: all or nothing
		if err == nil {
			fmt.Println("audit row", audit.ID)
		}
		return err
	}

	fmt.Println("transfer 60:", transfer(60))
	err = transfer(60) // ada has 40 left: the CHECK fails and nothing of this batch is applied
	fmt.Println("transfer 60 again:", sdk.AsError(err).Code)

	all, err := accounts.Find(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range all {
		fmt.Println(a.Owner, a.Balance)
	}
	// Output:
	// audit row 3
	// transfer 60: <nil>
	// transfer 60 again: conflict
	// ada 40
	// grace 60
	// audit 60
}
