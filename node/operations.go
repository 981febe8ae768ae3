package node

import (
	"context"
	"net/http"
	"time"
)

// OperationRequest is what an operator command passes to its operation:
// its argument and, for some, a free-text reason.
type OperationRequest struct {
	Ref    string `json:"ref"`
	Reason string `json:"reason,omitempty"`
	// Progress, when set, receives reports of a long operation (reindex).
	Progress func(Progress) `json:"-"`
}

// Operation is one operator command of a mode whose server is S (`market
// relay <Name>`): what it does, run the same way through the running
// server's admin socket (Method /admin/<Name>) and, when none runs, on the
// data directory by the command itself.
type Operation[S any] struct {
	Name    string
	Summary string // one line for the mode's help
	Help    string // what --help says
	// Arg is the usage placeholder of the one argument, or "" for none.
	Arg string
	// Reason is set when words after the argument are kept as the reason.
	Reason bool
	// Method is GET for reads, POST for changes.
	Method string
	// Timeout bounds the command.
	Timeout time.Duration
	Run     func(ctx context.Context, s S, req OperationRequest) (any, error)
}

// Path is the operation's admin socket path.
func (o Operation[S]) Path() string { return "/admin/" + o.Name }

// Defaults fills in Method (POST) and Timeout (a minute) where unset.
func Defaults[S any](ops []Operation[S]) []Operation[S] {
	for i := range ops {
		if ops[i].Method == "" {
			ops[i].Method = http.MethodPost
		}
		if ops[i].Timeout == 0 {
			ops[i].Timeout = time.Minute
		}
	}
	return ops
}

// boundOperation is an operation with its server, as the admin socket
// serves it.
type boundOperation struct {
	method, path, arg string
	run               func(ctx context.Context, req OperationRequest) (any, error)
}

// RegisterOperations adds a mode's operations, run on s, to the admin
// socket. Call it before Serve.
func RegisterOperations[S any](n *Node, s S, ops []Operation[S]) {
	for _, op := range Defaults(ops) {
		n.ops = append(n.ops, boundOperation{method: op.Method, path: op.Path(), arg: op.Arg,
			run: func(ctx context.Context, req OperationRequest) (any, error) { return op.Run(ctx, s, req) }})
	}
}

// registerOperations adds the operations every node has.
func registerOperations(n *Node) {}
