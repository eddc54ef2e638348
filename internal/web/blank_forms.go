package web

import (
	"fmt"
	"html/template"
	"maps"
	"text/template/parse"
)

// A page drawn for a GET has no posted form: every {{$f := $.Form …}}
// is then blank, so each of its fields' {{$f.Value "x"}}, {{$f.Attrs "x"}}
// and {{$f.Error "x"}} prints nothing or what the page holds, and each
// {{if $f.Chose "x" v held}} is held. html/template calls each of them,
// and each escaper after it, through reflection: about 4 µs a field, most
// of a form's cost and, on a community's page, a fifth of the template's.
// So every page is parsed twice (parsePages): as written, drawn after a
// POST, and with its forms blanked by blankForms, drawn for every GET. The
// templates keep the one form pattern; the blanked copy is derived from
// them. In the package's tests every GET is drawn both ways and the two
// must be the same, byte for byte (checkBlankForms).

// formHeld is what a blank form's field holds: {{$f.Value "x" held}} is
// {{formHeld held}}.
func formHeld(held any) string {
	if held == nil {
		return ""
	}
	return fmt.Sprint(held)
}

// blankForms rewrites every template of set as it is drawn when no form
// was posted; set must not have been executed yet (html/template escapes
// the tree on the first execution).
func blankForms(set *template.Template) {
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil {
			b := blanker{tree: t.Tree, forms: map[string]bool{}, lost: map[string]bool{}}
			b.list(t.Tree.Root)
			used := map[string]bool{}
			varsUsed(t.Tree.Root, used)
			dropUnusedForms(t.Tree.Root, used)
		}
	}
}

// branchOf is n's branch when n is an if, a range or a with.
func branchOf(n parse.Node) *parse.BranchNode {
	switch n := n.(type) {
	case *parse.IfNode:
		return &n.BranchNode
	case *parse.RangeNode:
		return &n.BranchNode
	case *parse.WithNode:
		return &n.BranchNode
	}
	return nil
}

// varsUsed adds to used the variables n reads or assigns anywhere in it.
func varsUsed(n parse.Node, used map[string]bool) {
	if b := branchOf(n); b != nil {
		varsUsed(b.Pipe, used)
		varsUsed(b.List, used)
		varsUsed(b.ElseList, used)
		return
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				varsUsed(c, used)
			}
		}
	case *parse.ActionNode:
		varsUsed(n.Pipe, used)
	case *parse.TemplateNode:
		varsUsed(n.Pipe, used)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		if n.IsAssign { // {{$f = …}}: kept, as a read would be
			for _, v := range n.Decl {
				used[v.Ident[0]] = true
			}
		}
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				varsUsed(a, used)
			}
		}
	case *parse.ChainNode:
		varsUsed(n.Node, used)
	case *parse.VariableNode:
		used[n.Ident[0]] = true
	}
}

// dropUnusedForms removes from n each {{$f := $.Form …}} whose variable
// nothing in the template reads once its fields are blank: drawing it
// only called Form and its argument's printf, through reflection, for
// every form of every GET.
func dropUnusedForms(n parse.Node, used map[string]bool) {
	if b := branchOf(n); b != nil {
		dropUnusedForms(b.List, used)
		dropUnusedForms(b.ElseList, used)
		return
	}
	if n, ok := n.(*parse.ListNode); ok && n != nil {
		kept := n.Nodes[:0]
		for _, c := range n.Nodes {
			if a, ok := c.(*parse.ActionNode); ok && len(a.Pipe.Decl) == 1 && !used[a.Pipe.Decl[0].Ident[0]] &&
				len(a.Pipe.Cmds) == 1 && len(a.Pipe.Cmds[0].Args) == 2 && isFormOf(a.Pipe.Cmds[0].Args[0]) {
				continue
			}
			dropUnusedForms(c, used)
			kept = append(kept, c)
		}
		n.Nodes = kept
	}
}

// blanker rewrites one template; forms are the variables that hold a form
// at the point it has reached.
type blanker struct {
	tree  *parse.Tree
	forms map[string]bool
	lost  map[string]bool // variables ever assigned ({{$f = …}}) what is not a form
}

func (b *blanker) list(l *parse.ListNode) {
	if l == nil {
		return
	}
	kept := make([]parse.Node, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		if b.node(n) {
			kept = append(kept, n)
		}
	}
	l.Nodes = kept
}

// node rewrites n and reports whether it stays.
func (b *blanker) node(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.ActionNode:
		return b.action(n)
	case *parse.IfNode:
		b.branch(&n.BranchNode, true)
	case *parse.RangeNode:
		b.branch(&n.BranchNode, false)
	case *parse.WithNode:
		b.branch(&n.BranchNode, false)
	case *parse.ListNode:
		b.list(n)
	}
	return true
}

// branch rewrites an if's test ({{if $f.Chose …}}, {{if $f.Failed}}) and
// its lists. Variables declared inside a branch end with it, as in
// text/template: their marks are put back after it.
func (b *blanker) branch(n *parse.BranchNode, isIf bool) {
	if isIf {
		if cmd, method, ok := b.formCall(n.Pipe); ok {
			switch {
			case method == "Chose" && len(cmd.Args) == 4:
				cmd.Args = cmd.Args[3:] // held
			case method == "Failed" && len(cmd.Args) == 1:
				cmd.Args = []parse.Node{&parse.BoolNode{NodeType: parse.NodeBool, Pos: cmd.Pos, True: false}}
			}
		}
	}
	outer := maps.Clone(b.forms)
	b.declare(n.Pipe) // {{range $i, $f := …}}: for the branch only
	inner := b.forms
	for _, l := range []*parse.ListNode{n.List, n.ElseList} {
		b.forms = maps.Clone(inner)
		b.list(l)
	}
	b.forms = outer
	for name := range b.lost { // {{$f = …}} in the branch may have changed it
		delete(b.forms, name)
	}
}

// action rewrites a field's print and reports whether it stays.
func (b *blanker) action(n *parse.ActionNode) bool {
	if len(n.Pipe.Decl) > 0 {
		b.declare(n.Pipe)
		return true
	}
	cmd, method, ok := b.formCall(n.Pipe)
	if !ok {
		return true
	}
	switch {
	case method == "Attrs" || method == "Error":
		return false // blank
	case method == "Value" && len(cmd.Args) == 2:
		return false // nothing typed, nothing held
	case method == "Value":
		held := parse.NewIdentifier("formHeld").SetTree(b.tree).SetPos(cmd.Pos)
		cmd.Args = []parse.Node{held, cmd.Args[2]}
	}
	return true
}

// declare marks the variables pipe declares or assigns: a form's when
// it is {{$f := $.Form …}} (or .Form), no longer a form's otherwise.
func (b *blanker) declare(pipe *parse.PipeNode) {
	if pipe == nil || len(pipe.Decl) == 0 {
		return
	}
	form := len(pipe.Cmds) == 1 && len(pipe.Cmds[0].Args) == 2 && isFormOf(pipe.Cmds[0].Args[0])
	for _, v := range pipe.Decl {
		if form && len(pipe.Decl) == 1 {
			b.forms[v.Ident[0]] = true
			continue
		}
		delete(b.forms, v.Ident[0])
		if pipe.IsAssign {
			b.lost[v.Ident[0]] = true
		}
	}
}

// isFormOf reports whether n is $.Form or .Form, the layout's Form.
func isFormOf(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.VariableNode:
		return len(n.Ident) == 2 && n.Ident[0] == "$" && n.Ident[1] == "Form"
	case *parse.FieldNode:
		return len(n.Ident) == 1 && n.Ident[0] == "Form"
	}
	return false
}

// formCall is pipe's one command when it calls a method on a form
// variable ({{$f.Value "x"}}), and the method's name.
func (b *blanker) formCall(pipe *parse.PipeNode) (*parse.CommandNode, string, bool) {
	if pipe == nil || len(pipe.Decl) > 0 || len(pipe.Cmds) != 1 {
		return nil, "", false
	}
	cmd := pipe.Cmds[0]
	v, ok := cmd.Args[0].(*parse.VariableNode)
	if !ok || len(v.Ident) != 2 || !b.forms[v.Ident[0]] {
		return nil, "", false
	}
	return cmd, v.Ident[1], true
}

// checkBlankForms, when set (by the package's tests), is given each page
// drawn for a GET from its blanked copy, with the page as written and its
// data, and fails when the page as written draws it otherwise.
var checkBlankForms func(written *template.Template, data any, drawn []byte) error
