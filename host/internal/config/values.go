package config

import (
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// literal evaluates expr, which must be a plain value: strings, numbers,
// booleans, null, lists and objects of those, and operators over them.
// References, function calls, for and splat expressions are refused; the
// file is evaluated without any variables or functions.
func (p *parser) literal(expr hcl.Expression) (cty.Value, bool) {
	if node, ok := expr.(hclsyntax.Node); ok {
		if bad := firstNonLiteral(node); bad != nil {
			p.nonLiteral(bad)
			return cty.NilVal, false
		}
	} else if vars := expr.Variables(); len(vars) > 0 {
		p.errorf(vars[0].SourceRange(), "Variables not allowed",
			"config.hcl accepts only literal values; replace this reference with the value itself.")
		return cty.NilVal, false
	}
	val, diags := expr.Value(nil)
	for _, d := range diags {
		if d.Subject == nil {
			d.Subject = expr.Range().Ptr()
		}
	}
	p.add(diags...)
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return val, true
}

func firstNonLiteral(node hclsyntax.Node) hclsyntax.Node {
	var bad hclsyntax.Node
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if bad != nil {
			return nil
		}
		switch n.(type) {
		case *hclsyntax.ScopeTraversalExpr, *hclsyntax.FunctionCallExpr,
			*hclsyntax.ForExpr, *hclsyntax.SplatExpr:
			bad = n
		}
		return nil
	})
	return bad
}

func (p *parser) nonLiteral(n hclsyntax.Node) {
	rng := n.Range()
	text := string(rng.SliceBytes(p.src))
	const fix = "%s %s. config.hcl accepts only literal values (strings, numbers, booleans, null, lists and objects); write the value itself instead."
	switch n.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		p.errorf(rng, "Variables not allowed", fix, text, "is a reference")
	case *hclsyntax.FunctionCallExpr:
		p.errorf(rng, "Function calls not allowed", fix, text, "calls a function")
	default:
		p.errorf(rng, "Expression not allowed", fix, text, "is computed")
	}
}

// str decodes a string attribute. ok is false when the attribute is null
// (use the default) or invalid (a diagnostic was added).
func (p *parser) str(a *hcl.Attribute, example string) (string, bool) {
	v, ok := p.typed(a, cty.String, "a string, such as "+example)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

func (p *parser) strList(a *hcl.Attribute, example string) ([]string, bool) {
	v, ok := p.typed(a, cty.List(cty.String), "a list of strings, such as "+example)
	if !ok {
		return nil, false
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			p.errorf(a.Expr.Range(), "Invalid list element", "%s must not contain null; remove it.", a.Name)
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

func (p *parser) int64(a *hcl.Attribute, example string) (int64, bool) {
	v, ok := p.typed(a, cty.Number, "a whole number, such as "+example)
	if !ok {
		return 0, false
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != 0 || n == math.MinInt64 {
		p.errorf(a.Expr.Range(), "Incorrect attribute value type",
			"%s must be a whole number, such as %s.", a.Name, example)
		return 0, false
	}
	return n, true
}

// duration decodes a positive duration written as a string ("15s").
func (p *parser) duration(a *hcl.Attribute, example string) (time.Duration, bool) {
	s, ok := p.str(a, fmt.Sprintf("%q", example))
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		p.errorf(a.Expr.Range(), "Invalid duration",
			"%q is not a duration. Write a number with a unit, such as %q, \"500ms\" or \"2m\".", s, example)
		return 0, false
	case d <= 0:
		p.errorf(a.Expr.Range(), "Invalid duration",
			"%s must be greater than zero, such as %q.", a.Name, example)
		return 0, false
	}
	return d, true
}

// typed evaluates a and converts it to ty; want describes ty for the
// user. A null value counts as unset.
func (p *parser) typed(a *hcl.Attribute, ty cty.Type, want string) (cty.Value, bool) {
	v, ok := p.literal(a.Expr)
	if !ok || v.IsNull() {
		return cty.NilVal, false
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		p.errorf(a.Expr.Range(), "Incorrect attribute value type",
			"%s must be %s; got %s.", a.Name, want, v.Type().FriendlyName())
		return cty.NilVal, false
	}
	return out, true
}
