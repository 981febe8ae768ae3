// Package escrow holds money between a buyer and a seller until a deal
// completes: one Escrow interface for a deal's whole life, a ledger backend
// on bbolt (Ledger, the default), and an EVM backend (EVM) over the Solidity
// contracts in contracts/, where disputes go to a community vote
// (CommunityArbitrator).
//
// Which party may take which action from which status is one table
// (Transitions, Allowed). The ledger enforces it, the Escrow contract
// mirrors it, and one table-driven test suite holds both backends to it.
// Amounts are integers of minor units with their currency, never floats.
//
// The package owns deals, their money, their history, the contracts'
// generated bindings (internal/evmbind) and the reading of the EVM key that
// pays for transactions (LoadEVMKey, ParseEVMKey). It knows nothing of listings or
// federation, and never imports go-ethereum's simulated chain outside
// tests (simchain is for tests, benchmarks and the dev chain program,
// cmd/devchain, which serves it over JSON-RPC for the README's tour).
//
// A hub uses the EVM backend through DialEVM (a JSON-RPC URL, the chain
// id it must have, the contract), follows the contract with Head,
// DealsChanged and CreationRef (the Ref a creating transaction carried
// after its arguments), and gives a wallet FundingCalls.
//
// See docs/escrow.md for the lifecycle, the contracts and the commands.
package escrow
