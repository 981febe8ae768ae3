// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package testcontracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// PartyMetaData contains all meta data concerning the Party contract.
var PartyMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"target\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"exec\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"mode\",\"outputs\":[{\"internalType\":\"enumParty.Mode\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"received\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reenterData\",\"outputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reenterTarget\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reentryAttempts\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"reentrySucceeded\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"enumParty.Mode\",\"name\":\"m\",\"type\":\"uint8\"}],\"name\":\"setMode\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"target\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"name\":\"setReentry\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "c565b5d8e48ffcf99cc5b60322d4426929",
	Bin: "0x6080604052348015600e575f5ffd5b50600160048190556003819055600255610a1c8061002b5f395ff3fe608060405260043610610096575f3560e01c806359703b2e11610066578063a8745cd21161004c578063a8745cd2146102e3578063cc6e8454146102f8578063e150ef491461034d575f5ffd5b806359703b2e146102ab57806383a6deb5146102ce575f5ffd5b80630565bb671461021d57806321175b4a14610246578063295a52121461026757806358f63fb81461028c575f5ffd5b366102195760015f5460ff1660038111156100b3576100b3610512565b0361011e576040517f08c379a000000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f7265667573656400000000000000000000000000000000000000000000000000604482015260640160405180910390fd5b60035f5460ff16600381111561013657610136610512565b03610141575b61013c565b60025f5460ff16600381111561015957610159610512565b036102005760028054905f61016d8361056c565b90915550505f805460405161010090910473ffffffffffffffffffffffffffffffffffffffff16906101a1906001906105f4565b5f604051808303815f865af19150503d805f81146101da576040519150601f19603f3d011682016040523d82523d5f602084013e6101df565b606091505b5050905080156101fe5760038054905f6101f88361056c565b91905055505b505b3460045f8282546102119190610683565b925050819055005b5f5ffd5b61023061022b366004610709565b610361565b60405161023d919061075f565b60405180910390f35b348015610251575f5ffd5b506102656102603660046107b2565b6103e8565b005b348015610272575f5ffd5b505f5461027f9060ff1681565b60405161023d91906107d7565b348015610297575f5ffd5b506102656102a6366004610816565b61042c565b3480156102b6575f5ffd5b506102c060035481565b60405190815260200161023d565b3480156102d9575f5ffd5b506102c060045481565b3480156102ee575f5ffd5b506102c060025481565b348015610303575f5ffd5b505f5461032890610100900473ffffffffffffffffffffffffffffffffffffffff1681565b60405173ffffffffffffffffffffffffffffffffffffffff909116815260200161023d565b348015610358575f5ffd5b50610230610486565b60605f5f8673ffffffffffffffffffffffffffffffffffffffff1686868660405161038d929190610865565b5f6040518083038185875af1925050503d805f81146103c7576040519150601f19603f3d011682016040523d82523d5f602084013e6103cc565b606091505b5091509150816103de57805160208201fd5b9695505050505050565b5f80548291907fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0016600183600381111561042457610424610512565b021790555050565b8282825f60018061043e8486836108f8565b508491906101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff160217905550505050505050565b60018054610493906105a3565b80601f01602080910402602001604051908101604052809291908181526020018280546104bf906105a3565b801561050a5780601f106104e15761010080835404028352916020019161050a565b820191905f5260205f20905b8154815290600101906020018083116104ed57829003601f168201915b505050505081565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff820361059c5761059c61053f565b5060010190565b600181811c908216806105b757607f821691505b6020821081036105ee577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b5f5f8354610601816105a3565b600182168015610618576001811461064b57610678565b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0083168652811515820286019350610678565b865f5260205f205f5b8381101561067057815488820152600190910190602001610654565b505081860193505b509195945050505050565b808201808211156106965761069661053f565b92915050565b803573ffffffffffffffffffffffffffffffffffffffff811681146106bf575f5ffd5b919050565b5f5f83601f8401126106d4575f5ffd5b50813567ffffffffffffffff8111156106eb575f5ffd5b602083019150836020828501011115610702575f5ffd5b9250929050565b5f5f5f5f6060858703121561071c575f5ffd5b6107258561069c565b935060208501359250604085013567ffffffffffffffff811115610747575f5ffd5b610753878288016106c4565b95989497509550505050565b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b5f602082840312156107c2575f5ffd5b8135600481106107d0575f5ffd5b9392505050565b6020810160048310610810577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b91905290565b5f5f5f60408486031215610828575f5ffd5b6108318461069c565b9250602084013567ffffffffffffffff81111561084c575f5ffd5b610858868287016106c4565b9497909650939450505050565b818382375f9101908152919050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b601f8211156108f357828211156108f357805f5260205f20601f840160051c60208510156108cc57505f5b90810190601f840160051c035f5b818110156108ef575f838201556001016108da565b5050505b505050565b67ffffffffffffffff83111561091057610910610874565b6109248361091e83546105a3565b836108a1565b5f601f841160018114610974575f851561093e5750838201355b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b1c1916600186901b178355610a08565b5f838152602081207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08716915b828110156109c157868501358255602094850194600190920191016109a1565b50868210156109fc577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60f88860031b161c19848701351681555b505060018560011b0183555b505050505056fea164736f6c6343000825000a",
}

// Party is an auto generated Go binding around an Ethereum contract.
type Party struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Party) GetABI() abi.ABI {
	return c.abi
}

// NewParty creates a new instance of Party.
func NewParty() *Party {
	parsed, err := PartyMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Party{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Party) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackExec is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0565bb67.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function exec(address target, uint256 value, bytes data) payable returns(bytes)
func (party *Party) PackExec(target common.Address, value *big.Int, data []byte) []byte {
	enc, err := party.abi.Pack("exec", target, value, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExec is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0565bb67.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function exec(address target, uint256 value, bytes data) payable returns(bytes)
func (party *Party) TryPackExec(target common.Address, value *big.Int, data []byte) ([]byte, error) {
	return party.abi.Pack("exec", target, value, data)
}

// UnpackExec is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0565bb67.
//
// Solidity: function exec(address target, uint256 value, bytes data) payable returns(bytes)
func (party *Party) UnpackExec(data []byte) ([]byte, error) {
	out, err := party.abi.Unpack("exec", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x295a5212.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mode() view returns(uint8)
func (party *Party) PackMode() []byte {
	enc, err := party.abi.Pack("mode")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x295a5212.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mode() view returns(uint8)
func (party *Party) TryPackMode() ([]byte, error) {
	return party.abi.Pack("mode")
}

// UnpackMode is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x295a5212.
//
// Solidity: function mode() view returns(uint8)
func (party *Party) UnpackMode(data []byte) (uint8, error) {
	out, err := party.abi.Unpack("mode", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackReceived is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83a6deb5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function received() view returns(uint256)
func (party *Party) PackReceived() []byte {
	enc, err := party.abi.Pack("received")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReceived is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x83a6deb5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function received() view returns(uint256)
func (party *Party) TryPackReceived() ([]byte, error) {
	return party.abi.Pack("received")
}

// UnpackReceived is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x83a6deb5.
//
// Solidity: function received() view returns(uint256)
func (party *Party) UnpackReceived(data []byte) (*big.Int, error) {
	out, err := party.abi.Unpack("received", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReenterData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe150ef49.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reenterData() view returns(bytes)
func (party *Party) PackReenterData() []byte {
	enc, err := party.abi.Pack("reenterData")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReenterData is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe150ef49.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reenterData() view returns(bytes)
func (party *Party) TryPackReenterData() ([]byte, error) {
	return party.abi.Pack("reenterData")
}

// UnpackReenterData is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe150ef49.
//
// Solidity: function reenterData() view returns(bytes)
func (party *Party) UnpackReenterData(data []byte) ([]byte, error) {
	out, err := party.abi.Unpack("reenterData", data)
	if err != nil {
		return *new([]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([]byte)).(*[]byte)
	return out0, nil
}

// PackReenterTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc6e8454.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reenterTarget() view returns(address)
func (party *Party) PackReenterTarget() []byte {
	enc, err := party.abi.Pack("reenterTarget")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReenterTarget is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc6e8454.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reenterTarget() view returns(address)
func (party *Party) TryPackReenterTarget() ([]byte, error) {
	return party.abi.Pack("reenterTarget")
}

// UnpackReenterTarget is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc6e8454.
//
// Solidity: function reenterTarget() view returns(address)
func (party *Party) UnpackReenterTarget(data []byte) (common.Address, error) {
	out, err := party.abi.Unpack("reenterTarget", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackReentryAttempts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8745cd2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reentryAttempts() view returns(uint256)
func (party *Party) PackReentryAttempts() []byte {
	enc, err := party.abi.Pack("reentryAttempts")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReentryAttempts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa8745cd2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reentryAttempts() view returns(uint256)
func (party *Party) TryPackReentryAttempts() ([]byte, error) {
	return party.abi.Pack("reentryAttempts")
}

// UnpackReentryAttempts is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa8745cd2.
//
// Solidity: function reentryAttempts() view returns(uint256)
func (party *Party) UnpackReentryAttempts(data []byte) (*big.Int, error) {
	out, err := party.abi.Unpack("reentryAttempts", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackReentrySucceeded is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59703b2e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reentrySucceeded() view returns(uint256)
func (party *Party) PackReentrySucceeded() []byte {
	enc, err := party.abi.Pack("reentrySucceeded")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReentrySucceeded is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59703b2e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reentrySucceeded() view returns(uint256)
func (party *Party) TryPackReentrySucceeded() ([]byte, error) {
	return party.abi.Pack("reentrySucceeded")
}

// UnpackReentrySucceeded is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x59703b2e.
//
// Solidity: function reentrySucceeded() view returns(uint256)
func (party *Party) UnpackReentrySucceeded(data []byte) (*big.Int, error) {
	out, err := party.abi.Unpack("reentrySucceeded", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSetMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x21175b4a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setMode(uint8 m) returns()
func (party *Party) PackSetMode(m uint8) []byte {
	enc, err := party.abi.Pack("setMode", m)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetMode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x21175b4a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setMode(uint8 m) returns()
func (party *Party) TryPackSetMode(m uint8) ([]byte, error) {
	return party.abi.Pack("setMode", m)
}

// PackSetReentry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58f63fb8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setReentry(address target, bytes data) returns()
func (party *Party) PackSetReentry(target common.Address, data []byte) []byte {
	enc, err := party.abi.Pack("setReentry", target, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetReentry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58f63fb8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setReentry(address target, bytes data) returns()
func (party *Party) TryPackSetReentry(target common.Address, data []byte) ([]byte, error) {
	return party.abi.Pack("setReentry", target, data)
}

// TestTokenMetaData contains all meta data concerning the TestToken contract.
var TestTokenMetaData = bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"blocked\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"feeBps\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"who\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"b\",\"type\":\"bool\"}],\"name\":\"setBlocked\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"bps\",\"type\":\"uint256\"}],\"name\":\"setFee\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "93f8844f1927ee7bcbc18ea661ec6dda19",
	Bin: "0x6080604052348015600e575f5ffd5b5061083e8061001c5f395ff3fe608060405234801561000f575f5ffd5b50600436106100e4575f3560e01c806340c10f191161008857806395d89b411161006357806395d89b4114610253578063a9059cbb1461028f578063dd62ed3e146102a2578063e5962195146102cc575f5ffd5b806340c10f191461020e57806369fe0e2d1461022157806370a0823114610234575f5ffd5b806318160ddd116100c357806318160ddd146101c257806323b872dd146101d857806324a9d853146101eb578063313ce567146101f4575f5ffd5b80620af2a1146100e857806306fdde031461014d578063095ea7b31461019f575b5f5ffd5b61014b6100f6366004610640565b73ffffffffffffffffffffffffffffffffffffffff919091165f90815260036020526040902080547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0016911515919091179055565b005b6101896040518060400160405280600a81526020017f5465737420546f6b656e0000000000000000000000000000000000000000000081525081565b6040516101969190610679565b60405180910390f35b6101b26101ad3660046106cc565b6102ee565b6040519015158152602001610196565b6101ca5f5481565b604051908152602001610196565b6101b26101e63660046106f4565b610367565b6101ca60045481565b6101fc600681565b60405160ff9091168152602001610196565b61014b61021c3660046106cc565b6103f8565b61014b61022f36600461072e565b600455565b6101ca610242366004610745565b60016020525f908152604090205481565b6101896040518060400160405280600381526020017f545354000000000000000000000000000000000000000000000000000000000081525081565b6101b261029d3660046106cc565b610497565b6101ca6102b036600461075e565b600260209081525f928352604080842090915290825290205481565b6101b26102da366004610745565b60036020525f908152604090205460ff1681565b335f81815260026020908152604080832073ffffffffffffffffffffffffffffffffffffffff8716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906103559086815260200190565b60405180910390a35060015b92915050565b73ffffffffffffffffffffffffffffffffffffffff83165f908152600260209081526040808320338452909152812054828110156103a8575f9150506103f1565b6103b283826107bc565b73ffffffffffffffffffffffffffffffffffffffff86165f9081526002602090815260408083203384529091529020556103ed85858561049f565b9150505b9392505050565b805f5f82825461040891906107cf565b909155505073ffffffffffffffffffffffffffffffffffffffff82165f90815260016020526040812080548392906104419084906107cf565b909155505060405181815273ffffffffffffffffffffffffffffffffffffffff8316905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b5f6103f13384845b73ffffffffffffffffffffffffffffffffffffffff82165f9081526003602052604081205460ff16806104f5575073ffffffffffffffffffffffffffffffffffffffff84165f9081526001602052604090205482115b1561050157505f6103f1565b5f6127106004548461051391906107e2565b61051d91906107f9565b73ffffffffffffffffffffffffffffffffffffffff86165f908152600160205260408120805492935085929091906105569084906107bc565b90915550610566905081846107bc565b73ffffffffffffffffffffffffffffffffffffffff85165f908152600160205260408120805490919061059a9084906107cf565b92505081905550805f5f8282546105b191906107bc565b909155505073ffffffffffffffffffffffffffffffffffffffff8085169086167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef6105fc84876107bc565b60405190815260200160405180910390a3506001949350505050565b803573ffffffffffffffffffffffffffffffffffffffff8116811461063b575f5ffd5b919050565b5f5f60408385031215610651575f5ffd5b61065a83610618565b91506020830135801515811461066e575f5ffd5b809150509250929050565b602081525f82518060208401528060208501604085015e5f6040828501015260407fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011684010191505092915050565b5f5f604083850312156106dd575f5ffd5b6106e683610618565b946020939093013593505050565b5f5f5f60608486031215610706575f5ffd5b61070f84610618565b925061071d60208501610618565b929592945050506040919091013590565b5f6020828403121561073e575f5ffd5b5035919050565b5f60208284031215610755575f5ffd5b6103f182610618565b5f5f6040838503121561076f575f5ffd5b61077883610618565b915061078660208401610618565b90509250929050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b818103818111156103615761036161078f565b808201808211156103615761036161078f565b80820281158282048414176103615761036161078f565b5f8261082c577f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b50049056fea164736f6c6343000825000a",
}

// TestToken is an auto generated Go binding around an Ethereum contract.
type TestToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TestToken) GetABI() abi.ABI {
	return c.abi
}

// NewTestToken creates a new instance of TestToken.
func NewTestToken() *TestToken {
	parsed, err := TestTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TestToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TestToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testToken *TestToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := testToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testToken *TestToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return testToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testToken *TestToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (testToken *TestToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (testToken *TestToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (testToken *TestToken) UnpackApprove(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testToken *TestToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := testToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testToken *TestToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return testToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testToken *TestToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5962195.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function blocked(address ) view returns(bool)
func (testToken *TestToken) PackBlocked(arg0 common.Address) []byte {
	enc, err := testToken.abi.Pack("blocked", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5962195.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function blocked(address ) view returns(bool)
func (testToken *TestToken) TryPackBlocked(arg0 common.Address) ([]byte, error) {
	return testToken.abi.Pack("blocked", arg0)
}

// UnpackBlocked is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5962195.
//
// Solidity: function blocked(address ) view returns(bool)
func (testToken *TestToken) UnpackBlocked(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("blocked", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (testToken *TestToken) PackDecimals() []byte {
	enc, err := testToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (testToken *TestToken) TryPackDecimals() ([]byte, error) {
	return testToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (testToken *TestToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := testToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x24a9d853.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function feeBps() view returns(uint256)
func (testToken *TestToken) PackFeeBps() []byte {
	enc, err := testToken.abi.Pack("feeBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFeeBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x24a9d853.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function feeBps() view returns(uint256)
func (testToken *TestToken) TryPackFeeBps() ([]byte, error) {
	return testToken.abi.Pack("feeBps")
}

// UnpackFeeBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint256)
func (testToken *TestToken) UnpackFeeBps(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("feeBps", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (testToken *TestToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (testToken *TestToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (testToken *TestToken) PackName() []byte {
	enc, err := testToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (testToken *TestToken) TryPackName() ([]byte, error) {
	return testToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (testToken *TestToken) UnpackName(data []byte) (string, error) {
	out, err := testToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackSetBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x000af2a1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setBlocked(address who, bool b) returns()
func (testToken *TestToken) PackSetBlocked(who common.Address, b bool) []byte {
	enc, err := testToken.abi.Pack("setBlocked", who, b)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetBlocked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x000af2a1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setBlocked(address who, bool b) returns()
func (testToken *TestToken) TryPackSetBlocked(who common.Address, b bool) ([]byte, error) {
	return testToken.abi.Pack("setBlocked", who, b)
}

// PackSetFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x69fe0e2d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setFee(uint256 bps) returns()
func (testToken *TestToken) PackSetFee(bps *big.Int) []byte {
	enc, err := testToken.abi.Pack("setFee", bps)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetFee is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x69fe0e2d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setFee(uint256 bps) returns()
func (testToken *TestToken) TryPackSetFee(bps *big.Int) ([]byte, error) {
	return testToken.abi.Pack("setFee", bps)
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (testToken *TestToken) PackSymbol() []byte {
	enc, err := testToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (testToken *TestToken) TryPackSymbol() ([]byte, error) {
	return testToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (testToken *TestToken) UnpackSymbol(data []byte) (string, error) {
	out, err := testToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (testToken *TestToken) PackTotalSupply() []byte {
	enc, err := testToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (testToken *TestToken) TryPackTotalSupply() ([]byte, error) {
	return testToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (testToken *TestToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := testToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (testToken *TestToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (testToken *TestToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (testToken *TestToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (testToken *TestToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := testToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (testToken *TestToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return testToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (testToken *TestToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := testToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// TestTokenApproval represents a Approval event raised by the TestToken contract.
type TestTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const TestTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (TestTokenApproval) ContractEventName() string {
	return TestTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (testToken *TestToken) UnpackApprovalEvent(log *types.Log) (*TestTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != testToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TestTokenApproval)
	if len(log.Data) > 0 {
		if err := testToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range testToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// TestTokenTransfer represents a Transfer event raised by the TestToken contract.
type TestTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const TestTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (TestTokenTransfer) ContractEventName() string {
	return TestTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (testToken *TestToken) UnpackTransferEvent(log *types.Log) (*TestTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != testToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TestTokenTransfer)
	if len(log.Data) > 0 {
		if err := testToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range testToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
