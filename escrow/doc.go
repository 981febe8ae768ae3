// Package escrow holds money between a buyer and a seller until a deal
// completes: one Escrow interface for a deal's whole life, a ledger backend
// on bbolt, and an EVM backend over Solidity contracts in contracts/.
//
// It knows nothing of listings or federation.
package escrow
