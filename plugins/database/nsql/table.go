package nsql

import (
	"sort"
	"strings"

	rq "github.com/rqlite/sql"
)

// ownTable opens the scope of a table's own definition (CHECK, DEFAULT,
// generated columns, index expressions), where SQLite lets a column be
// qualified by the table's name.
func (p *printer) ownTable(name string) frame {
	return frame{{name: name, physical: Physical(p.ns, name)}}
}

func (p *printer) createTable(s *rq.CreateTableStatement) {
	noSchema(s.Schema)
	if s.Name == nil {
		unsupported("CREATE TABLE without a name")
	}
	p.kw("CREATE", "TABLE")
	p.created("table", s.IfNotExists, s.Name.Name)
	if s.Select != nil {
		p.t("AS")
		p.selectStmt(s.Select, true)
		return
	}
	if len(s.Columns) == 0 {
		unsupported("CREATE TABLE without columns")
	}
	p.requireCommas(s)
	p.push(p.ownTable(s.Name.Name))
	defer p.pop()
	p.t("(")
	p.list(len(s.Columns), func(i int) { p.columnDef(s.Columns[i]) })
	for _, c := range s.Constraints {
		p.t(",")
		p.constraint(c, true)
	}
	p.t(")")
	p.tableOptions(s)
}

// requireCommas checks that the client separated every column definition
// and table constraint by a comma. The parser does not insist, so it reads
// "id INTEGER PRIMARY KEY DESC" as a key followed by a column named DESC,
// and "REFERENCES t (id) MATCH FULL" as a reference followed by a column
// MATCH: SQLite would read a descending key and a MATCH clause.
func (p *printer) requireCommas(s *rq.CreateTableStatement) {
	var starts []rq.Pos
	for _, c := range s.Columns {
		if c == nil || c.Name == nil {
			unsupported("column without a name")
		}
		starts = append(starts, c.Name.NamePos)
	}
	for _, c := range s.Constraints {
		var at, named rq.Pos
		switch c := c.(type) {
		case *rq.PrimaryKeyConstraint:
			at, named = c.Primary, c.Constraint
		case *rq.UniqueConstraint:
			at, named = c.Unique, c.Constraint
		case *rq.CheckConstraint:
			at, named = c.Check, c.Constraint
		case *rq.ForeignKeyConstraint:
			at, named = c.Foreign, c.Constraint
		default:
			unsupported("table constraint %T", c)
		}
		if named.IsValid() {
			at = named
		}
		starts = append(starts, at)
	}
	for i := 1; i < len(starts); i++ {
		if !p.commaBetween(starts[i-1], starts[i]) {
			unsupported("expected a comma before %q in the column list", p.word(starts[i]))
		}
	}
}

// commaBetween reports whether the client's text holds a comma outside
// parentheses between positions from and to.
func (p *printer) commaBetween(from, to rq.Pos) bool {
	if p.srcRune(from) < 0 || p.srcRune(to) < 0 || from.Offset >= to.Offset {
		return false
	}
	sc := rq.NewScanner(strings.NewReader(string(p.runes[from.Offset:to.Offset])))
	depth := 0
	for {
		_, tok, _ := sc.Scan()
		switch tok {
		case rq.EOF:
			return false
		case rq.LP:
			depth++
		case rq.RP:
			depth--
		case rq.COMMA:
			if depth == 0 {
				return true
			}
		}
	}
}

// word returns the token of the client's text at pos.
func (p *printer) word(pos rq.Pos) string {
	if p.srcRune(pos) < 0 {
		return ""
	}
	_, _, lit := rq.NewScanner(strings.NewReader(string(p.runes[pos.Offset:]))).Scan()
	return lit
}

// tableOptions writes WITHOUT ROWID and STRICT in the order written.
func (p *printer) tableOptions(s *rq.CreateTableStatement) {
	type option struct {
		at    int
		words []string
	}
	var opts []option
	if s.Rowid.IsValid() {
		opts = append(opts, option{s.Without.Offset, []string{"WITHOUT", "ROWID"}})
	}
	if s.Strict.IsValid() {
		opts = append(opts, option{s.Strict.Offset, []string{"STRICT"}})
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].at < opts[j].at })
	for i, o := range opts {
		if i > 0 {
			p.t(",")
		}
		p.kw(o.words...)
	}
}

func (p *printer) columnDef(c *rq.ColumnDefinition) {
	if c == nil || c.Name == nil {
		unsupported("column without a name")
	}
	p.ident("column", c.Name.Name)
	if c.Type != nil {
		p.typeName(c.Type)
	}
	for _, k := range c.Constraints {
		p.constraint(k, false)
	}
}

// constraint writes a column constraint, or with table set a table
// constraint. A foreign key's table is mapped like any table name.
func (p *printer) constraint(c rq.Constraint, table bool) {
	p.enter()
	defer p.leave()
	name := func(n *rq.Ident) {
		if n != nil {
			p.t("CONSTRAINT")
			p.ident("constraint name", n.Name)
		}
	}
	switch c := c.(type) {
	case *rq.PrimaryKeyConstraint:
		name(c.Name)
		p.kw("PRIMARY", "KEY")
		if table {
			p.columnList(c.Columns)
		}
		if c.Autoincrement.IsValid() {
			p.t("AUTOINCREMENT")
		}
	case *rq.NotNullConstraint:
		name(c.Name)
		p.kw("NOT", "NULL")
	case *rq.UniqueConstraint:
		name(c.Name)
		p.t("UNIQUE")
		if table {
			p.t("(")
			p.indexedColumns(c.Columns)
			p.t(")")
		}
	case *rq.CheckConstraint:
		name(c.Name)
		if c.Name == nil {
			p.checkName(c.Expr)
		}
		p.t("CHECK")
		p.t("(")
		p.expr(c.Expr)
		p.t(")")
	case *rq.DefaultConstraint:
		name(c.Name)
		p.t("DEFAULT")
		if c.Lparen.IsValid() {
			p.t("(")
			p.expr(c.Expr)
			p.t(")")
		} else {
			p.expr(c.Expr)
		}
	case *rq.GeneratedConstraint:
		name(c.Name)
		if c.Generated.IsValid() {
			p.kw("GENERATED", "ALWAYS")
		}
		p.t("AS")
		p.t("(")
		p.expr(c.Expr)
		p.t(")")
		if c.Stored.IsValid() {
			p.t("STORED")
		} else if c.Virtual.IsValid() {
			p.t("VIRTUAL")
		}
	case *rq.CollateConstraint:
		name(c.Name)
		p.collate(c.Collation)
	case *rq.ForeignKeyConstraint:
		name(c.Name)
		p.foreignKey(c, table)
	default:
		unsupported("constraint %T", c)
	}
}

// checkName names an unnamed CHECK constraint after its original text.
// SQLite reports a failed unnamed CHECK by its text, dequoted if it starts
// with a quote; the rewritten text would show physical names and other
// quoting, so the constraint gets the name SQLite would have reported.
func (p *printer) checkName(e rq.Expr) {
	text, ok := p.span(e)
	if !ok {
		return
	}
	if q := text[0]; q == '"' || q == '`' || q == '\'' {
		end := 1
		for end < len(text) {
			if text[end] == q {
				if end+1 < len(text) && text[end+1] == q {
					end += 2
					continue
				}
				break
			}
			end++
		}
		text = strings.ReplaceAll(text[1:min(end, len(text))], string([]byte{q, q}), string(q))
	}
	if name, ok := quoted(text, false); ok {
		p.t("CONSTRAINT")
		p.t(name)
	}
}

func (p *printer) foreignKey(c *rq.ForeignKeyConstraint, table bool) {
	if table {
		p.kw("FOREIGN", "KEY")
		p.columnList(c.Columns)
	}
	if c.ForeignTable == nil {
		unsupported("REFERENCES without a table")
	}
	p.t("REFERENCES")
	p.object("table", c.ForeignTable.Name)
	if len(c.ForeignColumns) > 0 {
		p.columnList(c.ForeignColumns)
	}
	for _, a := range c.Args {
		p.t("ON")
		if a.OnUpdate.IsValid() {
			p.t("UPDATE")
		} else {
			p.t("DELETE")
		}
		switch {
		case a.SetNull.IsValid():
			p.kw("SET", "NULL")
		case a.SetDefault.IsValid():
			p.kw("SET", "DEFAULT")
		case a.Cascade.IsValid():
			p.t("CASCADE")
		case a.Restrict.IsValid():
			p.t("RESTRICT")
		case a.NoAction.IsValid():
			p.kw("NO", "ACTION")
		default:
			unsupported("foreign key action")
		}
	}
	switch {
	case c.Deferrable.IsValid():
		p.t("DEFERRABLE")
	case c.NotDeferrable.IsValid():
		p.kw("NOT", "DEFERRABLE")
	default:
		return
	}
	if c.InitiallyDeferred.IsValid() {
		p.kw("INITIALLY", "DEFERRED")
	} else if c.InitiallyImmediate.IsValid() {
		p.kw("INITIALLY", "IMMEDIATE")
	}
}
