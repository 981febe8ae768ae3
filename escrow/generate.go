package escrow

// The contracts' ABI, bytecode and Go bindings are generated and committed;
// scripts/check.d/escrow-generated.sh checks they are current.
//go:generate sh contracts/generate.sh
