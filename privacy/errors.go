package privacy

import (
	"errors"
	"fmt"
)

// Sentinel errors that callers branch on. Every error the package returns
// for a bad policy wraps ErrInvalidPolicy; every error for a bad input row
// wraps ErrBadInput, so a command can tell the user's mistakes from its own.
var (
	// ErrInvalidPolicy means the policy cannot be used: a syntax error, an
	// unknown action, a missing option, or a field that is not in the data.
	ErrInvalidPolicy = errors.New("invalid privacy policy")
	// ErrBadInput means the input data cannot be read: broken quoting, a
	// value of the wrong type, a row with the wrong number of fields.
	ErrBadInput = errors.New("bad input")
	// ErrUnsupportedFormat means a format name is not one of csv, json,
	// jsonl or parquet (or parquet was asked for as input).
	ErrUnsupportedFormat = errors.New("unsupported format")
	// ErrTooIdentifying means the output misses a limit of the policy's
	// "release" section; ApplyFile then keeps the output back. The
	// report comes with it, to show why.
	ErrTooIdentifying = errors.New("the product is too identifying to release")
	// ErrInvalidKey means a product key file cannot be used: it holds
	// fewer than MinKeyLen bytes.
	ErrInvalidKey = errors.New("invalid product key")
)

// PolicyError names the policy field that is wrong and what was expected.
type PolicyError struct {
	Field   string // the data field the rule is for, or the policy key ("differential_privacy.epsilon")
	Problem string
}

// Error says which field of the policy is wrong and why.
func (e *PolicyError) Error() string {
	if e.Field == "" {
		return "policy: " + e.Problem
	}
	return fmt.Sprintf("policy: field %q: %s", e.Field, e.Problem)
}

// Unwrap lets errors.Is(err, ErrInvalidPolicy) hold.
func (e *PolicyError) Unwrap() error { return ErrInvalidPolicy }

// InputError names the line (1-based, counting a CSV header as line 1) and,
// when known, the field of a row that cannot be read or transformed.
type InputError struct {
	Line    int64
	Field   string
	Problem string
}

// Error says on which line (and field) the input is wrong and why.
func (e *InputError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Problem)
	}
	return fmt.Sprintf("line %d: field %q: %s", e.Line, e.Field, e.Problem)
}

// Unwrap lets errors.Is(err, ErrBadInput) hold.
func (e *InputError) Unwrap() error { return ErrBadInput }

func policyErr(field, format string, args ...any) error {
	return &PolicyError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

func inputErr(line int64, field, format string, args ...any) error {
	return &InputError{Line: line, Field: field, Problem: fmt.Sprintf(format, args...)}
}
