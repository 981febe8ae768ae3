// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package evmbind

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

// EscrowDeal is an auto generated low-level Go binding around an user-defined struct.
type EscrowDeal struct {
	Buyer    common.Address
	Deadline *big.Int
	Status   uint8
	Group    uint32
	Seller   common.Address
	Amount   *big.Int
	Token    common.Address
}

// CommunityArbitratorMetaData contains all meta data concerning the CommunityArbitrator contract.
var CommunityArbitratorMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"AlreadyVoted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"}],\"name\":\"BadChoice\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"field\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"BadReveal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"NotEligible\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"UnknownCase\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"UnknownGroup\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"WrongPhase\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_disputeID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"contractIArbitrable\",\"name\":\"_arbitrable\",\"type\":\"address\"}],\"name\":\"DisputeCreation\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"votePeriod\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"revealPeriod\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"quorum\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"open\",\"type\":\"bool\"}],\"name\":\"GroupCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"isMember\",\"type\":\"bool\"}],\"name\":\"MemberChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"ruling\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerVotes\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"sellerVotes\",\"type\":\"uint256\"}],\"name\":\"Ruled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"}],\"name\":\"VoteCast\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"VoteCommitted\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"internalType\":\"address[]\",\"name\":\"members\",\"type\":\"address[]\"}],\"name\":\"addMembers\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"name\":\"arbitrationCost\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"ballots\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"cases\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"opened\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"group\",\"type\":\"uint32\"},{\"internalType\":\"uint16\",\"name\":\"buyerVotes\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"sellerVotes\",\"type\":\"uint16\"},{\"internalType\":\"bytes20\",\"name\":\"parties\",\"type\":\"bytes20\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"commitment\",\"type\":\"bytes32\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"choices\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"extraData\",\"type\":\"bytes\"}],\"name\":\"createDispute\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"votePeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"revealPeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint16\",\"name\":\"quorum\",\"type\":\"uint16\"},{\"internalType\":\"bool\",\"name\":\"open\",\"type\":\"bool\"},{\"internalType\":\"address[]\",\"name\":\"members\",\"type\":\"address[]\"}],\"name\":\"createGroup\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"currentRuling\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"execute\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"ruling\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"groupCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"groups\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"votePeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"revealPeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint16\",\"name\":\"quorum\",\"type\":\"uint16\"},{\"internalType\":\"bool\",\"name\":\"open\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"exists\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"memberSince\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"removeMember\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"}],\"name\":\"reveal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"}],\"name\":\"vote\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "0b828d1c6f31e74b24ae39dacdddedf2fe",
	Bin: "0x6080604052348015600e575f5ffd5b50611fbb8061001c5f395ff3fe6080604052600436106100e4575f3560e01c806396324bd411610087578063f09790dd11610057578063f09790dd14610393578063f2f0387714610463578063f7434ea914610482578063fe0d94c1146104a1575f5ffd5b806396324bd4146101e2578063b27a92a51461032b578063c13517e11461034a578063c52d2b961461035d575f5ffd5b806379fdfcdf116100c257806379fdfcdf1461015a5780637f7bc23a1461017957806387fe46af146101af5780638f23b326146101ce575f5ffd5b80631c3db16d146100e85780634ab6ba7c1461011a5780636be7658b1461013b575b5f5ffd5b3480156100f3575f5ffd5b50610107610102366004611b72565b6104c0565b6040519081526020015b60405180910390f35b348015610125575f5ffd5b50610139610134366004611bd1565b610576565b005b348015610146575f5ffd5b50610139610155366004611c3d565b6105f0565b348015610165575f5ffd5b50610107610174366004611c83565b6106bf565b348015610184575f5ffd5b50610107610193366004611c3d565b600460209081525f928352604080842090915290825290205481565b3480156101ba575f5ffd5b506101396101c9366004611d12565b6109a2565b3480156101d9575f5ffd5b506101075f5481565b3480156101ed575f5ffd5b506102d56101fc366004611b72565b60016020525f908152604090205473ffffffffffffffffffffffffffffffffffffffff81169063ffffffff740100000000000000000000000000000000000000008204811691780100000000000000000000000000000000000000000000000081049091169061ffff7c01000000000000000000000000000000000000000000000000000000008204169060ff7e0100000000000000000000000000000000000000000000000000000000000082048116917f010000000000000000000000000000000000000000000000000000000000000090041686565b6040805173ffffffffffffffffffffffffffffffffffffffff909716875263ffffffff9586166020880152949093169385019390935261ffff1660608401529015156080830152151560a082015260c001610111565b348015610336575f5ffd5b50610139610345366004611d64565b610bd5565b610107610358366004611de9565b610d4d565b348015610368575f5ffd5b50610107610377366004611c3d565b600260209081525f928352604080842090915290825290205481565b34801561039e575f5ffd5b5061040a6103ad366004611b72565b60036020525f908152604090205463ffffffff8082169164010000000081049091169061ffff6801000000000000000082048116916a01000000000000000000008104909116906c01000000000000000000000000900460601b85565b6040805163ffffffff968716815295909416602086015261ffff928316938501939093521660608301527fffffffffffffffffffffffffffffffffffffffff00000000000000000000000016608082015260a001610111565b34801561046e575f5ffd5b5061013961047d366004611e24565b61117b565b34801561048d575f5ffd5b5061010761049c366004611e44565b611413565b3480156104ac575f5ffd5b506101076104bb366004611b72565b61141b565b5f818152600360209081526040808320805463ffffffff6401000000008204168552600190935290832054909161ffff6801000000000000000082048116926a01000000000000000000009092048116917c010000000000000000000000000000000000000000000000000000000090041661053c8284611eb0565b101561054c57505f949350505050565b80821161056757818111610560575f61056a565b600261056a565b60015b60ff1695945050505050565b5f8381526001602052604090205473ffffffffffffffffffffffffffffffffffffffff1633146105e0576040517f41fa8cfe000000000000000000000000000000000000000000000000000000008152600481018490523360248201526044015b60405180910390fd5b6105eb838383611626565b505050565b5f8281526001602052604090205473ffffffffffffffffffffffffffffffffffffffff163314610655576040517f41fa8cfe000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105d7565b5f82815260026020908152604080832073ffffffffffffffffffffffffffffffffffffffff851680855290835281842084905590519283529184917fb14e658ab6723d2aa4c643bd297a7ea69f71ac4258221a743b827220291b6518910160405180910390a35050565b5f8663ffffffff165f0361072f576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600a60248201527f766f7465506572696f640000000000000000000000000000000000000000000060448201526064016105d7565b5f5f815461073c90611ec3565b91829055506040805160c0810182523380825263ffffffff808c1660208085019182528c831685870190815261ffff808e16606088019081528d151560808901908152600160a08a018181525f8d8152919096528a9020985189549651945192519151955115157f0100000000000000000000000000000000000000000000000000000000000000027effffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff9615157e0100000000000000000000000000000000000000000000000000000000000002969096167dffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff929094167c0100000000000000000000000000000000000000000000000000000000027fffff0000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff938916780100000000000000000000000000000000000000000000000002939093167fffff000000000000ffffffffffffffffffffffffffffffffffffffffffffffff9590981674010000000000000000000000000000000000000000027fffffffffffffffff00000000000000000000000000000000000000000000000090971673ffffffffffffffffffffffffffffffffffffffff91909116179590951792909216949094171791909116919091171790915590519192509082907f7cd2c94df7e60a8aa38f8dd2cffa1c36f61a385687d374b1e87c4a5b69f1376290610985908b908b908b908b9063ffffffff948516815292909316602083015261ffff166040820152901515606082015260800190565b60405180910390a3610998818484611626565b9695505050505050565b5f858152600360205260408120906109ba828861178a565b805483549192505f916109ee9163ffffffff7401000000000000000000000000000000000000000090910481169116611eb0565b82549091507801000000000000000000000000000000000000000000000000900463ffffffff161580610a2057508042105b80610a5857508154610a54907801000000000000000000000000000000000000000000000000900463ffffffff1682611eb0565b4210155b15610a92576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018990526024016105d7565b610a9f83838a8888611862565b5f8881526004602090815260408083203384529091529020547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8101610b1a576040517f04f9da63000000000000000000000000000000000000000000000000000000008152600481018a90523360248201526044016105d7565b801580610b635750604080513060208201529081018a90523360608201526080810189905260a0810188905260c001604051602081830303815290604052805190602001208114155b15610ba3576040517fdd9ea273000000000000000000000000000000000000000000000000000000008152600481018a90523360248201526044016105d7565b5f898152600460209081526040808320338452909152902060019055610bca848a8a611a93565b505050505050505050565b5f84815260036020526040812090610bed828761178a565b80549091507801000000000000000000000000000000000000000000000000900463ffffffff1615610c4e576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018790526024016105d7565b80548254610c7d9163ffffffff7401000000000000000000000000000000000000000090910481169116611eb0565b4210610cb8576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018790526024016105d7565b610cc58282888787611862565b5f86815260046020908152604080832033845290915290205415610d1e576040517f04f9da63000000000000000000000000000000000000000000000000000000008152600481018790523360248201526044016105d7565b5f868152600460209081526040808320338452909152902060019055610d45828787611a93565b505050505050565b5f3415610db6576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f76616c756500000000000000000000000000000000000000000000000000000060448201526064016105d7565b83600214610e20576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f63686f696365730000000000000000000000000000000000000000000000000060448201526064016105d7565b5f808080610e3086880188611efa565b5f84815260016020526040902054939750919550935091507f0100000000000000000000000000000000000000000000000000000000000000900460ff16610ea7576040517fcfd439dd000000000000000000000000000000000000000000000000000000008152600481018590526024016105d7565b6bffffffffffffffffffffffff811115610f1d576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f6c6f63616c49640000000000000000000000000000000000000000000000000060448201526064016105d7565b33606090811b82175f818152600360205260409020549096506c010000000000000000000000009004901b7fffffffffffffffffffffffffffffffffffffffff0000000000000000000000001615610fd1576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f6c6f63616c49640000000000000000000000000000000000000000000000000060448201526064016105d7565b6040805160a08101825263ffffffff428116825286811660208084019182525f8486018181526060808701838152885173ffffffffffffffffffffffffffffffffffffffff8d8116828801528c16818b015289518082038b0181529083018a528051908601207fffffffffffffffffffffffffffffffffffffffff00000000000000000000000016608089019081528e8552600390955288842097518854965193519151955190921c6c010000000000000000000000000261ffff9586166a0100000000000000000000027fffffffffffffffffffffffffffffffffffffffff0000ffffffffffffffffffff969092166801000000000000000002959095167fffffffffffffffffffffffffffffffffffffffff00000000ffffffffffffffff938816640100000000027fffffffffffffffffffffffffffffffffffffffffffffffff00000000000000009097169290971691909117949094171693909317919091176bffffffffffffffffffffffff16179091559051339187917f141dfc18aa6a56fc816f44f0e9e2f1ebc92b15ab167770e17db5b084c10ed9959190a3505050509392505050565b5f82815260036020526040812090611193828561178a565b80549091507801000000000000000000000000000000000000000000000000900463ffffffff1615806111f45750805482546111f09163ffffffff7401000000000000000000000000000000000000000090910481169116611eb0565b4210155b1561122e576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018590526024016105d7565b80547e01000000000000000000000000000000000000000000000000000000000000900460ff161580156112bb57508154640100000000900463ffffffff165f90815260026020908152604080832033845290915290205415806112bb5750815463ffffffff640100000000820481165f9081526002602090815260408083203384529091529020549116105b156112fb576040517f6fc842cf000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016105d7565b8215806113085750600183145b1561136f576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600a60248201527f636f6d6d69746d656e740000000000000000000000000000000000000000000060448201526064016105d7565b5f848152600460209081526040808320338452909152902054156113c8576040517f04f9da63000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016105d7565b5f84815260046020908152604080832033808552925280832086905551909186917f3834a2c8ea101e1468b529270d35fbff0a12de32a5a7e5729b8b4dad6fb32c019190a350505050565b5f5b92915050565b5f81815260036020526040812081611433828561178a565b8054835491925063ffffffff780100000000000000000000000000000000000000000000000082048116926114839274010000000000000000000000000000000000000000900482169116611eb0565b61148d9190611eb0565b4210156114c9576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018590526024016105d7565b8154815461ffff6801000000000000000083048116926a010000000000000000000090048116917c010000000000000000000000000000000000000000000000000000000090041661151b8284611eb0565b106115445780821161153b57818111611534575f61153e565b600261153e565b60015b60ff1694505b83547fffffffffffffffffffffffffffffffffffffffffffffffffffffffff00000000168455604080518681526020810184905290810182905286907f68dcf17ec4e2b080c130858d7dfa1c9f22a9f647989fdb41a3f143bd7f7bfc289060600160405180910390a26040517f311a6c560000000000000000000000000000000000000000000000000000000081526004810187905260248101869052606087901c9063311a6c56906044015f604051808303815f87803b158015611607575f5ffd5b505af1158015611619573d5f5f3e3d5ffd5b5050505050505050919050565b5f5b81811015611784575f8481526002602052604081209084848481811061165057611650611f3f565b90506020020160208101906116659190611f6c565b73ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f20545f0361177c575f84815260026020526040812042918585858181106116c6576116c6611f3f565b90506020020160208101906116db9190611f6c565b73ffffffffffffffffffffffffffffffffffffffff16815260208101919091526040015f205582828281811061171357611713611f3f565b90506020020160208101906117289190611f6c565b73ffffffffffffffffffffffffffffffffffffffff16847fb14e658ab6723d2aa4c643bd297a7ea69f71ac4258221a743b827220291b65186001604051611773911515815260200190565b60405180910390a35b600101611628565b50505050565b81545f906c01000000000000000000000000900460601b7fffffffffffffffffffffffffffffffffffffffff0000000000000000000000001681036117fe576040517fec552da4000000000000000000000000000000000000000000000000000000008152600481018390526024016105d7565b825463ffffffff165f03611841576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018390526024016105d7565b505054640100000000900463ffffffff165f90815260016020526040902090565b84546c01000000000000000000000000900460601b7fffffffffffffffffffffffffffffffffffffffff000000000000000000000000166118e383836040805173ffffffffffffffffffffffffffffffffffffffff938416602080830191909152929093168382015280518084038201815260609093019052815191012090565b7fffffffffffffffffffffffffffffffffffffffff000000000000000000000000161461196c576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f706172746965730000000000000000000000000000000000000000000000000060448201526064016105d7565b3373ffffffffffffffffffffffffffffffffffffffff831614806119a557503373ffffffffffffffffffffffffffffffffffffffff8216145b156119e5576040517f6fc842cf000000000000000000000000000000000000000000000000000000008152600481018490523360248201526044016105d7565b83547e01000000000000000000000000000000000000000000000000000000000000900460ff16611a8c578454640100000000900463ffffffff165f908152600260209081526040808320338452909152902054801580611a4c5750855463ffffffff1681115b15610d45576040517f6fc842cf000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016105d7565b5050505050565b80600103611ad957825468010000000000000000900461ffff16836008611ab983611f8e565b91906101000a81548161ffff021916908361ffff16021790555050611b36565b80600203611b015782546a0100000000000000000000900461ffff1683600a611ab983611f8e565b6040517f3b393548000000000000000000000000000000000000000000000000000000008152600481018290526024016105d7565b604051818152339083907f2acce567deca3aabf56327adbb4524bd5318936eaefa69e3a5208ffda0cfec099060200160405180910390a3505050565b5f60208284031215611b82575f5ffd5b5035919050565b5f5f83601f840112611b99575f5ffd5b50813567ffffffffffffffff811115611bb0575f5ffd5b6020830191508360208260051b8501011115611bca575f5ffd5b9250929050565b5f5f5f60408486031215611be3575f5ffd5b83359250602084013567ffffffffffffffff811115611c00575f5ffd5b611c0c86828701611b89565b9497909650939450505050565b73ffffffffffffffffffffffffffffffffffffffff81168114611c3a575f5ffd5b50565b5f5f60408385031215611c4e575f5ffd5b823591506020830135611c6081611c19565b809150509250929050565b803563ffffffff81168114611c7e575f5ffd5b919050565b5f5f5f5f5f5f60a08789031215611c98575f5ffd5b611ca187611c6b565b9550611caf60208801611c6b565b9450604087013561ffff81168114611cc5575f5ffd5b935060608701358015158114611cd9575f5ffd5b9250608087013567ffffffffffffffff811115611cf4575f5ffd5b611d0089828a01611b89565b979a9699509497509295939492505050565b5f5f5f5f5f60a08688031215611d26575f5ffd5b8535945060208601359350604086013592506060860135611d4681611c19565b91506080860135611d5681611c19565b809150509295509295909350565b5f5f5f5f60808587031215611d77575f5ffd5b84359350602085013592506040850135611d9081611c19565b91506060850135611da081611c19565b939692955090935050565b5f5f83601f840112611dbb575f5ffd5b50813567ffffffffffffffff811115611dd2575f5ffd5b602083019150836020828501011115611bca575f5ffd5b5f5f5f60408486031215611dfb575f5ffd5b83359250602084013567ffffffffffffffff811115611e18575f5ffd5b611c0c86828701611dab565b5f5f60408385031215611e35575f5ffd5b50508035926020909101359150565b5f5f60208385031215611e55575f5ffd5b823567ffffffffffffffff811115611e6b575f5ffd5b611e7785828601611dab565b90969095509350505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b8082018082111561141557611415611e83565b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8203611ef357611ef3611e83565b5060010190565b5f5f5f5f60808587031215611f0d575f5ffd5b843593506020850135611f1f81611c19565b92506040850135611f2f81611c19565b9396929550929360600135925050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b5f60208284031215611f7c575f5ffd5b8135611f8781611c19565b9392505050565b5f61ffff821661ffff8103611fa557611fa5611e83565b6001019291505056fea164736f6c6343000825000a",
}

// CommunityArbitrator is an auto generated Go binding around an Ethereum contract.
type CommunityArbitrator struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *CommunityArbitrator) GetABI() abi.ABI {
	return c.abi
}

// NewCommunityArbitrator creates a new instance of CommunityArbitrator.
func NewCommunityArbitrator() *CommunityArbitrator {
	parsed, err := CommunityArbitratorMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &CommunityArbitrator{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *CommunityArbitrator) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackAddMembers is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ab6ba7c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addMembers(uint256 group, address[] members) returns()
func (communityArbitrator *CommunityArbitrator) PackAddMembers(group *big.Int, members []common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("addMembers", group, members)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddMembers is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4ab6ba7c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addMembers(uint256 group, address[] members) returns()
func (communityArbitrator *CommunityArbitrator) TryPackAddMembers(group *big.Int, members []common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("addMembers", group, members)
}

// PackArbitrationCost is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7434ea9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arbitrationCost(bytes ) pure returns(uint256)
func (communityArbitrator *CommunityArbitrator) PackArbitrationCost(arg0 []byte) []byte {
	enc, err := communityArbitrator.abi.Pack("arbitrationCost", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArbitrationCost is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7434ea9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arbitrationCost(bytes ) pure returns(uint256)
func (communityArbitrator *CommunityArbitrator) TryPackArbitrationCost(arg0 []byte) ([]byte, error) {
	return communityArbitrator.abi.Pack("arbitrationCost", arg0)
}

// UnpackArbitrationCost is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf7434ea9.
//
// Solidity: function arbitrationCost(bytes ) pure returns(uint256)
func (communityArbitrator *CommunityArbitrator) UnpackArbitrationCost(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("arbitrationCost", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBallots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7f7bc23a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ballots(uint256 , address ) view returns(bytes32)
func (communityArbitrator *CommunityArbitrator) PackBallots(arg0 *big.Int, arg1 common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("ballots", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBallots is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7f7bc23a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ballots(uint256 , address ) view returns(bytes32)
func (communityArbitrator *CommunityArbitrator) TryPackBallots(arg0 *big.Int, arg1 common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("ballots", arg0, arg1)
}

// UnpackBallots is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7f7bc23a.
//
// Solidity: function ballots(uint256 , address ) view returns(bytes32)
func (communityArbitrator *CommunityArbitrator) UnpackBallots(data []byte) ([32]byte, error) {
	out, err := communityArbitrator.abi.Unpack("ballots", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackCases is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf09790dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cases(uint256 ) view returns(uint32 opened, uint32 group, uint16 buyerVotes, uint16 sellerVotes, bytes20 parties)
func (communityArbitrator *CommunityArbitrator) PackCases(arg0 *big.Int) []byte {
	enc, err := communityArbitrator.abi.Pack("cases", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCases is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf09790dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cases(uint256 ) view returns(uint32 opened, uint32 group, uint16 buyerVotes, uint16 sellerVotes, bytes20 parties)
func (communityArbitrator *CommunityArbitrator) TryPackCases(arg0 *big.Int) ([]byte, error) {
	return communityArbitrator.abi.Pack("cases", arg0)
}

// CasesOutput serves as a container for the return parameters of contract
// method Cases.
type CasesOutput struct {
	Opened      uint32
	Group       uint32
	BuyerVotes  uint16
	SellerVotes uint16
	Parties     [20]byte
}

// UnpackCases is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf09790dd.
//
// Solidity: function cases(uint256 ) view returns(uint32 opened, uint32 group, uint16 buyerVotes, uint16 sellerVotes, bytes20 parties)
func (communityArbitrator *CommunityArbitrator) UnpackCases(data []byte) (CasesOutput, error) {
	out, err := communityArbitrator.abi.Unpack("cases", data)
	outstruct := new(CasesOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Opened = *abi.ConvertType(out[0], new(uint32)).(*uint32)
	outstruct.Group = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	outstruct.BuyerVotes = *abi.ConvertType(out[2], new(uint16)).(*uint16)
	outstruct.SellerVotes = *abi.ConvertType(out[3], new(uint16)).(*uint16)
	outstruct.Parties = *abi.ConvertType(out[4], new([20]byte)).(*[20]byte)
	return *outstruct, nil
}

// PackCommit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2f03877.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function commit(uint256 disputeID, bytes32 commitment) returns()
func (communityArbitrator *CommunityArbitrator) PackCommit(disputeID *big.Int, commitment [32]byte) []byte {
	enc, err := communityArbitrator.abi.Pack("commit", disputeID, commitment)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCommit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2f03877.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function commit(uint256 disputeID, bytes32 commitment) returns()
func (communityArbitrator *CommunityArbitrator) TryPackCommit(disputeID *big.Int, commitment [32]byte) ([]byte, error) {
	return communityArbitrator.abi.Pack("commit", disputeID, commitment)
}

// PackCreateDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc13517e1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createDispute(uint256 choices, bytes extraData) payable returns(uint256 disputeID)
func (communityArbitrator *CommunityArbitrator) PackCreateDispute(choices *big.Int, extraData []byte) []byte {
	enc, err := communityArbitrator.abi.Pack("createDispute", choices, extraData)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc13517e1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createDispute(uint256 choices, bytes extraData) payable returns(uint256 disputeID)
func (communityArbitrator *CommunityArbitrator) TryPackCreateDispute(choices *big.Int, extraData []byte) ([]byte, error) {
	return communityArbitrator.abi.Pack("createDispute", choices, extraData)
}

// UnpackCreateDispute is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc13517e1.
//
// Solidity: function createDispute(uint256 choices, bytes extraData) payable returns(uint256 disputeID)
func (communityArbitrator *CommunityArbitrator) UnpackCreateDispute(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("createDispute", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCreateGroup is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79fdfcdf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createGroup(uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, address[] members) returns(uint256 group)
func (communityArbitrator *CommunityArbitrator) PackCreateGroup(votePeriod uint32, revealPeriod uint32, quorum uint16, open bool, members []common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("createGroup", votePeriod, revealPeriod, quorum, open, members)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateGroup is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79fdfcdf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createGroup(uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, address[] members) returns(uint256 group)
func (communityArbitrator *CommunityArbitrator) TryPackCreateGroup(votePeriod uint32, revealPeriod uint32, quorum uint16, open bool, members []common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("createGroup", votePeriod, revealPeriod, quorum, open, members)
}

// UnpackCreateGroup is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x79fdfcdf.
//
// Solidity: function createGroup(uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, address[] members) returns(uint256 group)
func (communityArbitrator *CommunityArbitrator) UnpackCreateGroup(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("createGroup", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCurrentRuling is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c3db16d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function currentRuling(uint256 disputeID) view returns(uint256)
func (communityArbitrator *CommunityArbitrator) PackCurrentRuling(disputeID *big.Int) []byte {
	enc, err := communityArbitrator.abi.Pack("currentRuling", disputeID)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCurrentRuling is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1c3db16d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function currentRuling(uint256 disputeID) view returns(uint256)
func (communityArbitrator *CommunityArbitrator) TryPackCurrentRuling(disputeID *big.Int) ([]byte, error) {
	return communityArbitrator.abi.Pack("currentRuling", disputeID)
}

// UnpackCurrentRuling is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1c3db16d.
//
// Solidity: function currentRuling(uint256 disputeID) view returns(uint256)
func (communityArbitrator *CommunityArbitrator) UnpackCurrentRuling(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("currentRuling", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackExecute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe0d94c1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function execute(uint256 disputeID) returns(uint256 ruling)
func (communityArbitrator *CommunityArbitrator) PackExecute(disputeID *big.Int) []byte {
	enc, err := communityArbitrator.abi.Pack("execute", disputeID)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackExecute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfe0d94c1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function execute(uint256 disputeID) returns(uint256 ruling)
func (communityArbitrator *CommunityArbitrator) TryPackExecute(disputeID *big.Int) ([]byte, error) {
	return communityArbitrator.abi.Pack("execute", disputeID)
}

// UnpackExecute is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfe0d94c1.
//
// Solidity: function execute(uint256 disputeID) returns(uint256 ruling)
func (communityArbitrator *CommunityArbitrator) UnpackExecute(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("execute", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGroupCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8f23b326.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function groupCount() view returns(uint256)
func (communityArbitrator *CommunityArbitrator) PackGroupCount() []byte {
	enc, err := communityArbitrator.abi.Pack("groupCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGroupCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8f23b326.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function groupCount() view returns(uint256)
func (communityArbitrator *CommunityArbitrator) TryPackGroupCount() ([]byte, error) {
	return communityArbitrator.abi.Pack("groupCount")
}

// UnpackGroupCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8f23b326.
//
// Solidity: function groupCount() view returns(uint256)
func (communityArbitrator *CommunityArbitrator) UnpackGroupCount(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("groupCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGroups is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x96324bd4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function groups(uint256 ) view returns(address admin, uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, bool exists)
func (communityArbitrator *CommunityArbitrator) PackGroups(arg0 *big.Int) []byte {
	enc, err := communityArbitrator.abi.Pack("groups", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGroups is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x96324bd4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function groups(uint256 ) view returns(address admin, uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, bool exists)
func (communityArbitrator *CommunityArbitrator) TryPackGroups(arg0 *big.Int) ([]byte, error) {
	return communityArbitrator.abi.Pack("groups", arg0)
}

// GroupsOutput serves as a container for the return parameters of contract
// method Groups.
type GroupsOutput struct {
	Admin        common.Address
	VotePeriod   uint32
	RevealPeriod uint32
	Quorum       uint16
	Open         bool
	Exists       bool
}

// UnpackGroups is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x96324bd4.
//
// Solidity: function groups(uint256 ) view returns(address admin, uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, bool exists)
func (communityArbitrator *CommunityArbitrator) UnpackGroups(data []byte) (GroupsOutput, error) {
	out, err := communityArbitrator.abi.Unpack("groups", data)
	outstruct := new(GroupsOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Admin = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.VotePeriod = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	outstruct.RevealPeriod = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	outstruct.Quorum = *abi.ConvertType(out[3], new(uint16)).(*uint16)
	outstruct.Open = *abi.ConvertType(out[4], new(bool)).(*bool)
	outstruct.Exists = *abi.ConvertType(out[5], new(bool)).(*bool)
	return *outstruct, nil
}

// PackMemberSince is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc52d2b96.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function memberSince(uint256 , address ) view returns(uint256)
func (communityArbitrator *CommunityArbitrator) PackMemberSince(arg0 *big.Int, arg1 common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("memberSince", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMemberSince is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc52d2b96.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function memberSince(uint256 , address ) view returns(uint256)
func (communityArbitrator *CommunityArbitrator) TryPackMemberSince(arg0 *big.Int, arg1 common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("memberSince", arg0, arg1)
}

// UnpackMemberSince is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc52d2b96.
//
// Solidity: function memberSince(uint256 , address ) view returns(uint256)
func (communityArbitrator *CommunityArbitrator) UnpackMemberSince(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("memberSince", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRemoveMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6be7658b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeMember(uint256 group, address member) returns()
func (communityArbitrator *CommunityArbitrator) PackRemoveMember(group *big.Int, member common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("removeMember", group, member)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveMember is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6be7658b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeMember(uint256 group, address member) returns()
func (communityArbitrator *CommunityArbitrator) TryPackRemoveMember(group *big.Int, member common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("removeMember", group, member)
}

// PackReveal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87fe46af.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function reveal(uint256 disputeID, uint256 choice, bytes32 salt, address buyer, address seller) returns()
func (communityArbitrator *CommunityArbitrator) PackReveal(disputeID *big.Int, choice *big.Int, salt [32]byte, buyer common.Address, seller common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("reveal", disputeID, choice, salt, buyer, seller)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReveal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87fe46af.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function reveal(uint256 disputeID, uint256 choice, bytes32 salt, address buyer, address seller) returns()
func (communityArbitrator *CommunityArbitrator) TryPackReveal(disputeID *big.Int, choice *big.Int, salt [32]byte, buyer common.Address, seller common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("reveal", disputeID, choice, salt, buyer, seller)
}

// PackVote is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb27a92a5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function vote(uint256 disputeID, uint256 choice, address buyer, address seller) returns()
func (communityArbitrator *CommunityArbitrator) PackVote(disputeID *big.Int, choice *big.Int, buyer common.Address, seller common.Address) []byte {
	enc, err := communityArbitrator.abi.Pack("vote", disputeID, choice, buyer, seller)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVote is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb27a92a5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function vote(uint256 disputeID, uint256 choice, address buyer, address seller) returns()
func (communityArbitrator *CommunityArbitrator) TryPackVote(disputeID *big.Int, choice *big.Int, buyer common.Address, seller common.Address) ([]byte, error) {
	return communityArbitrator.abi.Pack("vote", disputeID, choice, buyer, seller)
}

// CommunityArbitratorDisputeCreation represents a DisputeCreation event raised by the CommunityArbitrator contract.
type CommunityArbitratorDisputeCreation struct {
	DisputeID  *big.Int
	Arbitrable common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const CommunityArbitratorDisputeCreationEventName = "DisputeCreation"

// ContractEventName returns the user-defined event name.
func (CommunityArbitratorDisputeCreation) ContractEventName() string {
	return CommunityArbitratorDisputeCreationEventName
}

// UnpackDisputeCreationEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DisputeCreation(uint256 indexed _disputeID, address indexed _arbitrable)
func (communityArbitrator *CommunityArbitrator) UnpackDisputeCreationEvent(log *types.Log) (*CommunityArbitratorDisputeCreation, error) {
	event := "DisputeCreation"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != communityArbitrator.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommunityArbitratorDisputeCreation)
	if len(log.Data) > 0 {
		if err := communityArbitrator.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range communityArbitrator.abi.Events[event].Inputs {
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

// CommunityArbitratorGroupCreated represents a GroupCreated event raised by the CommunityArbitrator contract.
type CommunityArbitratorGroupCreated struct {
	Group        *big.Int
	Admin        common.Address
	VotePeriod   uint32
	RevealPeriod uint32
	Quorum       uint16
	Open         bool
	Raw          *types.Log // Blockchain specific contextual infos
}

const CommunityArbitratorGroupCreatedEventName = "GroupCreated"

// ContractEventName returns the user-defined event name.
func (CommunityArbitratorGroupCreated) ContractEventName() string {
	return CommunityArbitratorGroupCreatedEventName
}

// UnpackGroupCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event GroupCreated(uint256 indexed group, address indexed admin, uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open)
func (communityArbitrator *CommunityArbitrator) UnpackGroupCreatedEvent(log *types.Log) (*CommunityArbitratorGroupCreated, error) {
	event := "GroupCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != communityArbitrator.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommunityArbitratorGroupCreated)
	if len(log.Data) > 0 {
		if err := communityArbitrator.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range communityArbitrator.abi.Events[event].Inputs {
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

// CommunityArbitratorMemberChanged represents a MemberChanged event raised by the CommunityArbitrator contract.
type CommunityArbitratorMemberChanged struct {
	Group    *big.Int
	Member   common.Address
	IsMember bool
	Raw      *types.Log // Blockchain specific contextual infos
}

const CommunityArbitratorMemberChangedEventName = "MemberChanged"

// ContractEventName returns the user-defined event name.
func (CommunityArbitratorMemberChanged) ContractEventName() string {
	return CommunityArbitratorMemberChangedEventName
}

// UnpackMemberChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event MemberChanged(uint256 indexed group, address indexed member, bool isMember)
func (communityArbitrator *CommunityArbitrator) UnpackMemberChangedEvent(log *types.Log) (*CommunityArbitratorMemberChanged, error) {
	event := "MemberChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != communityArbitrator.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommunityArbitratorMemberChanged)
	if len(log.Data) > 0 {
		if err := communityArbitrator.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range communityArbitrator.abi.Events[event].Inputs {
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

// CommunityArbitratorRuled represents a Ruled event raised by the CommunityArbitrator contract.
type CommunityArbitratorRuled struct {
	DisputeID   *big.Int
	Ruling      *big.Int
	BuyerVotes  *big.Int
	SellerVotes *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const CommunityArbitratorRuledEventName = "Ruled"

// ContractEventName returns the user-defined event name.
func (CommunityArbitratorRuled) ContractEventName() string {
	return CommunityArbitratorRuledEventName
}

// UnpackRuledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Ruled(uint256 indexed disputeID, uint256 ruling, uint256 buyerVotes, uint256 sellerVotes)
func (communityArbitrator *CommunityArbitrator) UnpackRuledEvent(log *types.Log) (*CommunityArbitratorRuled, error) {
	event := "Ruled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != communityArbitrator.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommunityArbitratorRuled)
	if len(log.Data) > 0 {
		if err := communityArbitrator.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range communityArbitrator.abi.Events[event].Inputs {
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

// CommunityArbitratorVoteCast represents a VoteCast event raised by the CommunityArbitrator contract.
type CommunityArbitratorVoteCast struct {
	DisputeID *big.Int
	Voter     common.Address
	Choice    *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const CommunityArbitratorVoteCastEventName = "VoteCast"

// ContractEventName returns the user-defined event name.
func (CommunityArbitratorVoteCast) ContractEventName() string {
	return CommunityArbitratorVoteCastEventName
}

// UnpackVoteCastEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event VoteCast(uint256 indexed disputeID, address indexed voter, uint256 choice)
func (communityArbitrator *CommunityArbitrator) UnpackVoteCastEvent(log *types.Log) (*CommunityArbitratorVoteCast, error) {
	event := "VoteCast"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != communityArbitrator.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommunityArbitratorVoteCast)
	if len(log.Data) > 0 {
		if err := communityArbitrator.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range communityArbitrator.abi.Events[event].Inputs {
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

// CommunityArbitratorVoteCommitted represents a VoteCommitted event raised by the CommunityArbitrator contract.
type CommunityArbitratorVoteCommitted struct {
	DisputeID *big.Int
	Voter     common.Address
	Raw       *types.Log // Blockchain specific contextual infos
}

const CommunityArbitratorVoteCommittedEventName = "VoteCommitted"

// ContractEventName returns the user-defined event name.
func (CommunityArbitratorVoteCommitted) ContractEventName() string {
	return CommunityArbitratorVoteCommittedEventName
}

// UnpackVoteCommittedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event VoteCommitted(uint256 indexed disputeID, address indexed voter)
func (communityArbitrator *CommunityArbitrator) UnpackVoteCommittedEvent(log *types.Log) (*CommunityArbitratorVoteCommitted, error) {
	event := "VoteCommitted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != communityArbitrator.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(CommunityArbitratorVoteCommitted)
	if len(log.Data) > 0 {
		if err := communityArbitrator.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range communityArbitrator.abi.Events[event].Inputs {
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

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (communityArbitrator *CommunityArbitrator) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["AlreadyVoted"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackAlreadyVotedError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["BadChoice"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackBadChoiceError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["BadInput"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackBadInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["BadReveal"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackBadRevealError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["NotAdmin"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackNotAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["NotEligible"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackNotEligibleError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["UnknownCase"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackUnknownCaseError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["UnknownGroup"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackUnknownGroupError(raw[4:])
	}
	if bytes.Equal(raw[:4], communityArbitrator.abi.Errors["WrongPhase"].ID.Bytes()[:4]) {
		return communityArbitrator.UnpackWrongPhaseError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// CommunityArbitratorAlreadyVoted represents a AlreadyVoted error raised by the CommunityArbitrator contract.
type CommunityArbitratorAlreadyVoted struct {
	DisputeID *big.Int
	Voter     common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyVoted(uint256 disputeID, address voter)
func CommunityArbitratorAlreadyVotedErrorID() common.Hash {
	return common.HexToHash("0x04f9da634a3ce855cf7785808a673a41608288999dcd1d08e55bb33c69118f4a")
}

// UnpackAlreadyVotedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyVoted(uint256 disputeID, address voter)
func (communityArbitrator *CommunityArbitrator) UnpackAlreadyVotedError(raw []byte) (*CommunityArbitratorAlreadyVoted, error) {
	out := new(CommunityArbitratorAlreadyVoted)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "AlreadyVoted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorBadChoice represents a BadChoice error raised by the CommunityArbitrator contract.
type CommunityArbitratorBadChoice struct {
	Choice *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadChoice(uint256 choice)
func CommunityArbitratorBadChoiceErrorID() common.Hash {
	return common.HexToHash("0x3b3935485687c9e645182b511cf2c4a6dbfc0ed987b58b783bc9df6ddf56bf0d")
}

// UnpackBadChoiceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadChoice(uint256 choice)
func (communityArbitrator *CommunityArbitrator) UnpackBadChoiceError(raw []byte) (*CommunityArbitratorBadChoice, error) {
	out := new(CommunityArbitratorBadChoice)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "BadChoice", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorBadInput represents a BadInput error raised by the CommunityArbitrator contract.
type CommunityArbitratorBadInput struct {
	Field string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInput(string field)
func CommunityArbitratorBadInputErrorID() common.Hash {
	return common.HexToHash("0x6dd4c676a33afead2f92e642a2cf14223ca9bbba6d494479540bca6c29c3b320")
}

// UnpackBadInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInput(string field)
func (communityArbitrator *CommunityArbitrator) UnpackBadInputError(raw []byte) (*CommunityArbitratorBadInput, error) {
	out := new(CommunityArbitratorBadInput)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "BadInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorBadReveal represents a BadReveal error raised by the CommunityArbitrator contract.
type CommunityArbitratorBadReveal struct {
	DisputeID *big.Int
	Voter     common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadReveal(uint256 disputeID, address voter)
func CommunityArbitratorBadRevealErrorID() common.Hash {
	return common.HexToHash("0xdd9ea27389bcade802e8af979cf0e3e65cd5ba600bc231a5325474064b2e1bcd")
}

// UnpackBadRevealError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadReveal(uint256 disputeID, address voter)
func (communityArbitrator *CommunityArbitrator) UnpackBadRevealError(raw []byte) (*CommunityArbitratorBadReveal, error) {
	out := new(CommunityArbitratorBadReveal)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "BadReveal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorNotAdmin represents a NotAdmin error raised by the CommunityArbitrator contract.
type CommunityArbitratorNotAdmin struct {
	Group  *big.Int
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAdmin(uint256 group, address caller)
func CommunityArbitratorNotAdminErrorID() common.Hash {
	return common.HexToHash("0x41fa8cfe048b176cc9405170a203140dbae1a2827142b7bd1df190cedbc9261e")
}

// UnpackNotAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAdmin(uint256 group, address caller)
func (communityArbitrator *CommunityArbitrator) UnpackNotAdminError(raw []byte) (*CommunityArbitratorNotAdmin, error) {
	out := new(CommunityArbitratorNotAdmin)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "NotAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorNotEligible represents a NotEligible error raised by the CommunityArbitrator contract.
type CommunityArbitratorNotEligible struct {
	DisputeID *big.Int
	Voter     common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotEligible(uint256 disputeID, address voter)
func CommunityArbitratorNotEligibleErrorID() common.Hash {
	return common.HexToHash("0x6fc842cfc29c1e2bc16cbfa44c8a6d9c18ce3d672dc914c6b80037c0463844bb")
}

// UnpackNotEligibleError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotEligible(uint256 disputeID, address voter)
func (communityArbitrator *CommunityArbitrator) UnpackNotEligibleError(raw []byte) (*CommunityArbitratorNotEligible, error) {
	out := new(CommunityArbitratorNotEligible)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "NotEligible", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorUnknownCase represents a UnknownCase error raised by the CommunityArbitrator contract.
type CommunityArbitratorUnknownCase struct {
	DisputeID *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownCase(uint256 disputeID)
func CommunityArbitratorUnknownCaseErrorID() common.Hash {
	return common.HexToHash("0xec552da416ddc0e1dd4e07dd553e26d2697227ee702a02d1d8edf2f2ca27b45a")
}

// UnpackUnknownCaseError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownCase(uint256 disputeID)
func (communityArbitrator *CommunityArbitrator) UnpackUnknownCaseError(raw []byte) (*CommunityArbitratorUnknownCase, error) {
	out := new(CommunityArbitratorUnknownCase)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "UnknownCase", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorUnknownGroup represents a UnknownGroup error raised by the CommunityArbitrator contract.
type CommunityArbitratorUnknownGroup struct {
	Group *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownGroup(uint256 group)
func CommunityArbitratorUnknownGroupErrorID() common.Hash {
	return common.HexToHash("0xcfd439ddd9546b26f8b1c3066eb86f88c5c7a8924ff019f5e4d5fa6ef7370f2d")
}

// UnpackUnknownGroupError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownGroup(uint256 group)
func (communityArbitrator *CommunityArbitrator) UnpackUnknownGroupError(raw []byte) (*CommunityArbitratorUnknownGroup, error) {
	out := new(CommunityArbitratorUnknownGroup)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "UnknownGroup", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// CommunityArbitratorWrongPhase represents a WrongPhase error raised by the CommunityArbitrator contract.
type CommunityArbitratorWrongPhase struct {
	DisputeID *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPhase(uint256 disputeID)
func CommunityArbitratorWrongPhaseErrorID() common.Hash {
	return common.HexToHash("0x1975b11811fb5141bef0b6a9818d81ec7c0cb66563fc079c576cdaa40ef27860")
}

// UnpackWrongPhaseError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPhase(uint256 disputeID)
func (communityArbitrator *CommunityArbitrator) UnpackWrongPhaseError(raw []byte) (*CommunityArbitratorWrongPhase, error) {
	out := new(CommunityArbitratorWrongPhase)
	if err := communityArbitrator.abi.UnpackIntoInterface(out, "WrongPhase", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowMetaData contains all meta data concerning the Escrow contract.
var EscrowMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"_fund\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"_deliver\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"_confirm\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"_dispute\",\"type\":\"uint32\"},{\"internalType\":\"uint8\",\"name\":\"_defaultRuling\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"Forbidden\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"field\",\"type\":\"string\"}],\"name\":\"InvalidInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"InvalidState\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"NotDue\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotFound\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrant\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Credited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"DealCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_disputeID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_metaEvidenceID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_evidenceGroupID\",\"type\":\"uint256\"}],\"name\":\"Dispute\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"DisputeLost\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_evidenceGroupID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_party\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"_evidence\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"_evidenceHash\",\"type\":\"bytes32\"}],\"name\":\"Evidence\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_disputeID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_ruling\",\"type\":\"uint256\"}],\"name\":\"Ruling\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"action\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"data\",\"type\":\"uint256\"}],\"name\":\"StatusChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"PAY_GAS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"arbitrator\",\"outputs\":[{\"internalType\":\"contractIArbitrator\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"complete\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"confirm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"confirmPeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"create\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"createAndFund\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"credit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"defaultRuling\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"deliver\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deliverPeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"dispute\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"disputeDeal\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"disputeIdOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"disputePeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"fund\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"fundPeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getDeal\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint32\",\"name\":\"group\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"internalType\":\"structEscrow.Deal\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"ruling\",\"type\":\"uint256\"}],\"name\":\"rule\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"}],\"name\":\"submitEvidence\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"timeout\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "074fbaccb0112bf5599bbe624530bb4d26",
	Bin: "0x61016060405260015f55348015610014575f5ffd5b506040516130ad3803806130ad83398101604081905261003391610195565b6001600160a01b03861661007c5760405163d647364f60e01b815260206004820152600a60248201526930b93134ba3930ba37b960b11b60448201526064015b60405180910390fd5b63ffffffff85161580610093575063ffffffff8416155b806100a2575063ffffffff8316155b806100b1575063ffffffff8216155b156100e85760405163d647364f60e01b81526020600482015260066024820152651c195c9a5bd960d21b6044820152606401610073565b60018160ff1614158015610100575060028160ff1614155b1561013e5760405163d647364f60e01b815260206004820152600d60248201526c64656661756c7452756c696e6760981b6044820152606401610073565b6001600160a01b0390951660808190523b151560a05263ffffffff908116610120529081166101005290811660e0521660c05260ff166101405261021b565b805163ffffffff81168114610190575f5ffd5b919050565b5f5f5f5f5f5f60c087890312156101aa575f5ffd5b86516001600160a01b03811681146101c0575f5ffd5b95506101ce6020880161017d565b94506101dc6040880161017d565b93506101ea6060880161017d565b92506101f86080880161017d565b915060a087015160ff8116811461020d575f5ffd5b809150509295509295509295565b60805160a05160c05160e051610100516101205161014051612ded6102c05f395f81816103bb0152611e4301525f818161032901526114c901525f81816102b80152610d0301525f81816104d201528181610e8a0152611a1401525f818161025b0152610f8401525f8181610af301526115b801525f81816103700152818161090c01528181610b6701528181610bca01528181611663015261171c0152612ded5ff3fe608060405260043610610183575f3560e01c806361b8ce8c116100d1578063ba0179b51161007c578063da2e958e11610057578063da2e958e146104c1578063f888e91d146104f4578063fc8edb5214610516575f5ffd5b8063ba0179b514610459578063ca1d209d14610478578063cc1f0d2d1461048b575f5ffd5b806382fd5bac116100ac57806382fd5bac146103ef57806386d6282c1461041b578063971d852f1461043a575f5ffd5b806361b8ce8c1461034b5780636cc6cde11461035f57806377a856fa146103aa575f5ffd5b806343d668dc116101315780634fb8fa191161010c5780634fb8fa19146102da57806351cff8d9146102f95780635bf31d4d14610318575f5ffd5b806343d668dc1461024a5780634a7ebc6e146102925780634c974ebd146102a7575f5ffd5b8063311a6c5611610161578063311a6c56146101e65780633bd5d173146102055780633d47304114610224575f5ffd5b806308148f7a146101875780630ebf1ea4146101a8578063278ecde1146101c7575b5f5ffd5b348015610192575f5ffd5b506101a66101a1366004612930565b610541565b005b3480156101b3575f5ffd5b506101a66101c2366004612947565b6107aa565b3480156101d2575f5ffd5b506101a66101e1366004612930565b610976565b3480156101f1575f5ffd5b506101a66102003660046129c5565b610a3b565b348015610210575f5ffd5b506101a661021f366004612930565b610c98565b610237610232366004612a00565b610e33565b6040519081526020015b60405180910390f35b348015610255575f5ffd5b5061027d7f000000000000000000000000000000000000000000000000000000000000000081565b60405163ffffffff9091168152602001610241565b34801561029d575f5ffd5b5061023761c35081565b3480156102b2575f5ffd5b5061027d7f000000000000000000000000000000000000000000000000000000000000000081565b3480156102e5575f5ffd5b506102376102f4366004612a3f565b610ecc565b348015610304575f5ffd5b506101a6610313366004612a90565b610fbd565b348015610323575f5ffd5b5061027d7f000000000000000000000000000000000000000000000000000000000000000081565b348015610356575f5ffd5b506102375f5481565b34801561036a575f5ffd5b506103927f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610241565b3480156103b5575f5ffd5b506103dd7f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff9091168152602001610241565b3480156103fa575f5ffd5b5061040e610409366004612930565b6112a8565b6040516102419190612b16565b348015610426575f5ffd5b50610237610435366004612930565b6113f4565b348015610445575f5ffd5b506101a6610454366004612930565b6117bb565b348015610464575f5ffd5b506101a6610473366004612930565b6118ae565b6101a6610486366004612930565b611962565b348015610496575f5ffd5b506102376104a5366004612baa565b600360209081525f928352604080842090915290825290205481565b3480156104cc575f5ffd5b5061027d7f000000000000000000000000000000000000000000000000000000000000000081565b3480156104ff575f5ffd5b5061023761050e366004612930565b3060601b1790565b348015610521575f5ffd5b50610237610530366004612930565b60026020525f908152604090205481565b60ff5f5c161561057d576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f6105998260016005611b83565b8054909150790100000000000000000000000000000000000000000000000000900460ff1660048160088111156105d2576105d2612ab0565b036106165782816040517f0a5889e500000000000000000000000000000000000000000000000000000000815260040161060d929190612bdb565b60405180910390fd5b815474010000000000000000000000000000000000000000900464ffffffffff1642101561069a5781546040517f39c32aeb000000000000000000000000000000000000000000000000000000008152600481018590527401000000000000000000000000000000000000000090910464ffffffffff16602482015260440161060d565b60018160088111156106ae576106ae612ab0565b0361073c5781547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1679080000000000000000000000000000000000000000000000000017825560405183907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b9061072f90600a9060089033905f90612bef565b60405180910390a261079a565b600281600881111561075057610750612ab0565b03610767576107628383600a5f611c96565b61079a565b600381600881111561077b5761077b612ab0565b0361078d576107628383600a5f611d68565b61079a8383600a5f611e34565b505f905060ff19815c16815d5050565b5f6107b785600580611b83565b80549091506001600160a01b031633148015906107e1575060018101546001600160a01b03163314155b15610821576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810186905233602482015260440161060d565b82158061082f575061080083115b15610896576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600360248201527f7572690000000000000000000000000000000000000000000000000000000000604482015260640161060d565b816108ff576040517fd647364f00000000000000000000000000000000000000000000000000000000815260040161060d9060208082526004908201527f6861736800000000000000000000000000000000000000000000000000000000604082015260600190565b336001600160a01b0316857f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03167f91ce2e92c84bc6f8d8e9bd83c102760780933dfa8463283202cd73bae5b28bd787878760405161096793929190612c21565b60405180910390a45050505050565b60ff5f5c16156109b2576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f6109ce8260026003611b83565b60018101549091506001600160a01b03163314610a20576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161060d565b610a2d828260095f611c96565b505f60ff19815c16815d5050565b60ff5f5c1615610a77576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d506002811115610af0576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f72756c696e670000000000000000000000000000000000000000000000000000604482015260640161060d565b817f000000000000000000000000000000000000000000000000000000000000000015610b4d57505f8281526002602052604090205480158015610b375750606083901c30145b15610b4d57506bffffffffffffffffffffffff82165b5f610b5a82600580611b83565b9050336001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614610bc7576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161060d565b837f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03167f394027a5fa6e098a1191094d1719d6929b9abc535fcc0c8f448d6a4e7562227685604051610c2391815260200190565b60405180910390a3610c388282600886611e34565b60018303610c875760018101546040518581526001600160a01b039091169083907f967f257693f66dc69d17eb4ef3e3a93521771f439810def6ba9cd0be8093a9ad9060200160405180910390a35b505f905060ff19815c16815d505050565b5f610ca582600280611b83565b60018101549091506001600160a01b03163314610cf7576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161060d565b6003610d2963ffffffff7f00000000000000000000000000000000000000000000000000000000000000001642612ca3565b825464ffffffffff821674010000000000000000000000000000000000000000027fffffffffffffff0000000000ffffffffffffffffffffffffffffffffffffffff821681178555839185917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff90911617790100000000000000000000000000000000000000000000000000836008811115610de957610de9612ab0565b02179055505050817f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b600380335f604051610e279493929190612bef565b60405180910390a25050565b5f60ff815c1615610e70576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d50610eae338686868660027f0000000000000000000000000000000000000000000000000000000000000000611e94565b9050610eba848461233e565b5f60ff19815c16815d50949350505050565b5f60ff815c1615610f09576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d50336001600160a01b03871614801590610f395750336001600160a01b03861614155b15610f78576040517f17668e530000000000000000000000000000000000000000000000000000000081525f600482015233602482015260440161060d565b610fa8868686868660017f0000000000000000000000000000000000000000000000000000000000000000611e94565b90505f60ff19815c16815d5095945050505050565b60ff5f5c1615610ff9576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d506001600160a01b0381165f90815260036020908152604080832033845290915281205490819003611094576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f6372656469740000000000000000000000000000000000000000000000000000604482015260640161060d565b6001600160a01b0382165f8181526003602090815260408083203380855290835281842093909355518481529192917fd1c19fbcd4551a5edfb66d43d2e337c04837afda3482b42bdf569a8fccdae5fb910160405180910390a35f6001600160a01b03831661114a57604051339083905f81818185875af1925050503d805f811461113a576040519150601f19603f3d011682016040523d82523d5f602084013e61113f565b606091505b505080915050611259565b604051336024820152604481018390526060906001600160a01b03851690606401604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529181526020820180517bffffffffffffffffffffffffffffffffffffffffffffffffffffffff167fa9059cbb00000000000000000000000000000000000000000000000000000000179052516111ec9190612cbc565b5f604051808303815f865af19150503d805f8114611225576040519150601f19603f3d011682016040523d82523d5f602084013e61122a565b606091505b5090925090508180156112555750805115806112555750808060200190518101906112559190612cd2565b9150505b8061079a576040517fbf182be80000000000000000000000000000000000000000000000000000000081526001600160a01b03841660048201523360248201526044810183905260640161060d565b6040805160e080820183525f8083526020808401829052838501829052606084018290526080840182905260a0840182905260c0840182905285825260018152908490208451928301855280546001600160a01b038116845274010000000000000000000000000000000000000000810464ffffffffff16928401929092529293919291830190790100000000000000000000000000000000000000000000000000900460ff16600881111561136057611360612ab0565b600881111561137157611371612ab0565b815281547a010000000000000000000000000000000000000000000000000000900463ffffffff16602082015260018201546001600160a01b038082166040840152740100000000000000000000000000000000000000009091046bffffffffffffffffffffffff16606083015260029092015490911660809091015292915050565b5f60ff815c1615611431576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f61144d8360026003611b83565b805460018201549192506001600160a01b03908116911633821480159061147d5750336001600160a01b03821614155b156114bd576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810186905233602482015260440161060d565b60056114ef63ffffffff7f00000000000000000000000000000000000000000000000000000000000000001642612ca3565b845464ffffffffff821674010000000000000000000000000000000000000000027fffffffffffffff0000000000ffffffffffffffffffffffffffffffffffffffff821681178755839187917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff909116177901000000000000000000000000000000000000000000000000008360088111156115af576115af612ab0565b021790555050507f0000000000000000000000000000000000000000000000000000000000000000156116fe578254604080517a01000000000000000000000000000000000000000000000000000090920463ffffffff1660208301526001600160a01b0384811683830152838116606084015260808084018990528251808503909101815260a08401928390527fc13517e1000000000000000000000000000000000000000000000000000000009092527f0000000000000000000000000000000000000000000000000000000000000000169163c13517e19161169a916002919060a401612cf1565b6020604051808303815f875af11580156116b6573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906116da9190612d4b565b93503060601b851784146116f9575f8481526002602052604090208590555b611702565b8493505b604080515f81526020810187905285916001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016917f74baab670a4015ab2f1b467c5252a96141a2573f2908e58a92081e80d3cfde3d910160405180910390a3847f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b6006600533886040516117a09493929190612bef565b60405180910390a2505f91505060ff19815c16815d50919050565b5f6117c882600480611b83565b80549091506001600160a01b031633148015906117f2575060018101546001600160a01b03163314155b15611832576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161060d565b80547fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff1679070000000000000000000000000000000000000000000000000017815560405182907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b90610e279060059060079033905f90612bef565b60ff5f5c16156118ea576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f6119068260026003611b83565b80549091506001600160a01b03163314611955576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161060d565b610a2d828260045f611d68565b60ff5f5c161561199e576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f6119b982600180611b83565b80549091506001600160a01b03163314611a08576040517f17668e530000000000000000000000000000000000000000000000000000000081526004810183905233602482015260440161060d565b6002611a3a63ffffffff7f00000000000000000000000000000000000000000000000000000000000000001642612ca3565b825464ffffffffff821674010000000000000000000000000000000000000000027fffffffffffffff0000000000ffffffffffffffffffffffffffffffffffffffff821681178555839185917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff90911617790100000000000000000000000000000000000000000000000000836008811115611afa57611afa612ab0565b02179055505050817f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b600280335f604051611b389493929190612bef565b60405180910390a260028101546001820154610a2d916001600160a01b0316907401000000000000000000000000000000000000000090046bffffffffffffffffffffffff1661233e565b5f8381526001602052604081208054909179010000000000000000000000000000000000000000000000000090910460ff1690816008811115611bc857611bc8612ab0565b03611c02576040517fc80a970c0000000000000000000000000000000000000000000000000000000081526004810186905260240161060d565b836008811115611c1457611c14612ab0565b816008811115611c2657611c26612ab0565b1080611c535750826008811115611c3f57611c3f612ab0565b816008811115611c5157611c51612ab0565b115b15611c8e5784816040517f0a5889e500000000000000000000000000000000000000000000000000000000815260040161060d929190612bdb565b509392505050565b82547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1679060000000000000000000000000000000000000000000000000017835560405184907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b90611d1190859060069033908790612bef565b60405180910390a2600283015483546001850154611d62926001600160a01b039081169216907401000000000000000000000000000000000000000090046bffffffffffffffffffffffff166126e5565b50505050565b82547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1679040000000000000000000000000000000000000000000000000017835560405184907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b90611de390859060049033908790612bef565b60405180910390a260028301546001840154611d62916001600160a01b0390811691908116907401000000000000000000000000000000000000000090046bffffffffffffffffffffffff166126e5565b5f8115611e415781611e66565b7f000000000000000000000000000000000000000000000000000000000000000060ff165b905060028103611e8157611e7c85858585611d68565b611e8d565b611e8d85858585611c96565b5050505050565b5f6001600160a01b038816611f05576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f6275796572000000000000000000000000000000000000000000000000000000604482015260640161060d565b6001600160a01b0387161580611f2c5750876001600160a01b0316876001600160a01b0316145b15611f93576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f73656c6c65720000000000000000000000000000000000000000000000000000604482015260640161060d565b841580611fab57506bffffffffffffffffffffffff85115b15612012576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f616d6f756e740000000000000000000000000000000000000000000000000000604482015260640161060d565b63ffffffff841115612080576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f67726f7570000000000000000000000000000000000000000000000000000000604482015260640161060d565b6001600160a01b038616158015906120a057506001600160a01b0386163b155b15612107576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f746f6b656e000000000000000000000000000000000000000000000000000000604482015260640161060d565b5f8054908061211583612d62565b909155505f8181526001602052604090209091508861213a63ffffffff851642612ca3565b825463ffffffff88167a010000000000000000000000000000000000000000000000000000027fffff00000000ffffffffffffffffffffffffffffffffffffffffffffffffffff8216811785558791899186915f918391601491879184917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffff0000000000ffffffffffffffffffffffffffffffffffffffffffffffffff9091161779010000000000000000000000000000000000000000000000000083600881111561220c5761220c612ab0565b0217905550815461010091820a64ffffffffff8181021990921698909116029690961790558154940a6001600160a01b03818102199095169585160294909417909355507fffffffffffffffffffffffff0000000000000000000000000000000000000000740100000000000000000000000000000000000000006bffffffffffffffffffffffff8a1602168a821617600184015588161590506122e0576002810180547fffffffffffffffffffffffff0000000000000000000000000000000000000000166001600160a01b0389161790555b876001600160a01b0316896001600160a01b0316837fde7023a5996cb6e42e552dc0e5e994f46f49b5e6b423b4b8cf535fb979555c488a8a8a8a60405161232a9493929190612d99565b60405180910390a450979650505050505050565b6001600160a01b0382166123b9578034146123b5576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f76616c7565000000000000000000000000000000000000000000000000000000604482015260640161060d565b5050565b3415612421576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f76616c7565000000000000000000000000000000000000000000000000000000604482015260640161060d565b6040517f70a082310000000000000000000000000000000000000000000000000000000081523060048201525f906001600160a01b038416906370a0823190602401602060405180830381865afa15801561247e573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906124a29190612d4b565b604051336024820152306044820152606481018490529091505f9081906001600160a01b03861690608401604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529181526020820180517bffffffffffffffffffffffffffffffffffffffffffffffffffffffff167f23b872dd000000000000000000000000000000000000000000000000000000001790525161254e9190612cbc565b5f604051808303815f865af19150503d805f8114612587576040519150601f19603f3d011682016040523d82523d5f602084013e61258c565b606091505b50915091508115806125ba57508051158015906125ba5750808060200190518101906125b89190612cd2565b155b15612609576040517fbf182be80000000000000000000000000000000000000000000000000000000081526001600160a01b03861660048201523360248201526044810185905260640161060d565b6040517f70a08231000000000000000000000000000000000000000000000000000000008152306004820152849084906001600160a01b038816906370a0823190602401602060405180830381865afa158015612668573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061268c9190612d4b565b6126969190612dcd565b14611e8d576040517fbf182be80000000000000000000000000000000000000000000000000000000081526001600160a01b03861660048201523360248201526044810185905260640161060d565b6126f3619c4061c350612ca3565b5a101561275c576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600360248201527f6761730000000000000000000000000000000000000000000000000000000000604482015260640161060d565b5f6001600160a01b03841661277c575f5f5f5f858761c350f1905061289b565b6040516001600160a01b0384811660248301526044820184905260609190861690606401604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529181526020820180517bffffffffffffffffffffffffffffffffffffffffffffffffffffffff167fa9059cbb00000000000000000000000000000000000000000000000000000000179052516128219190612cbc565b5f604051808303815f865af19150503d805f811461285a576040519150601f19603f3d011682016040523d82523d5f602084013e61285f565b606091505b509092509050818015612897575080511580612897575060208151101580156128975750808060200190518101906128979190612cd2565b9150505b80611d62576001600160a01b038085165f908152600360209081526040808320938716835292905290812080548492906128d6908490612ca3565b92505081905550826001600160a01b0316846001600160a01b03167f4e45da441832cf53bdaa69235704fc0575e68210f459ee1562911024b12967d58460405161292291815260200190565b60405180910390a350505050565b5f60208284031215612940575f5ffd5b5035919050565b5f5f5f5f6060858703121561295a575f5ffd5b84359350602085013567ffffffffffffffff811115612977575f5ffd5b8501601f81018713612987575f5ffd5b803567ffffffffffffffff81111561299d575f5ffd5b8760208284010111156129ae575f5ffd5b949760209190910196509394604001359392505050565b5f5f604083850312156129d6575f5ffd5b50508035926020909101359150565b80356001600160a01b03811681146129fb575f5ffd5b919050565b5f5f5f5f60808587031215612a13575f5ffd5b612a1c856129e5565b9350612a2a602086016129e5565b93969395505050506040820135916060013590565b5f5f5f5f5f60a08688031215612a53575f5ffd5b612a5c866129e5565b9450612a6a602087016129e5565b9350612a78604087016129e5565b94979396509394606081013594506080013592915050565b5f60208284031215612aa0575f5ffd5b612aa9826129e5565b9392505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b60098110612b12577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b9052565b5f60e0820190506001600160a01b03835116825264ffffffffff60208401511660208301526040830151612b4d6040840182612add565b5063ffffffff60608401511660608301526001600160a01b0360808401511660808301526bffffffffffffffffffffffff60a08401511660a083015260c0830151612ba360c08401826001600160a01b03169052565b5092915050565b5f5f60408385031215612bbb575f5ffd5b612bc4836129e5565b9150612bd2602084016129e5565b90509250929050565b82815260408101612aa96020830184612add565b60ff8516815260808101612c066020830186612add565b6001600160a01b039390931660408201526060015292915050565b60408152826040820152828460608301375f606084830101525f60607fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f8601168301019050826020830152949350505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b80820180821115612cb657612cb6612c76565b92915050565b5f82518060208501845e5f920191825250919050565b5f60208284031215612ce2575f5ffd5b81518015158114612aa9575f5ffd5b828152604060208201525f82518060408401528060208501606085015e5f6060828501015260607fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f8301168401019150509392505050565b5f60208284031215612d5b575f5ffd5b5051919050565b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8203612d9257612d92612c76565b5060010190565b6001600160a01b0385168152602081018490526040810183905260808101612dc46060830184612add565b95945050505050565b81810381811115612cb657612cb6612c7656fea164736f6c6343000825000a",
}

// Escrow is an auto generated Go binding around an Ethereum contract.
type Escrow struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Escrow) GetABI() abi.ABI {
	return c.abi
}

// NewEscrow creates a new instance of Escrow.
func NewEscrow() *Escrow {
	parsed, err := EscrowMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Escrow{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Escrow) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address _arbitrator, uint32 _fund, uint32 _deliver, uint32 _confirm, uint32 _dispute, uint8 _defaultRuling) returns()
func (escrow *Escrow) PackConstructor(_arbitrator common.Address, _fund uint32, _deliver uint32, _confirm uint32, _dispute uint32, _defaultRuling uint8) []byte {
	enc, err := escrow.abi.Pack("", _arbitrator, _fund, _deliver, _confirm, _dispute, _defaultRuling)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackPAYGAS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4a7ebc6e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function PAY_GAS() view returns(uint256)
func (escrow *Escrow) PackPAYGAS() []byte {
	enc, err := escrow.abi.Pack("PAY_GAS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPAYGAS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4a7ebc6e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function PAY_GAS() view returns(uint256)
func (escrow *Escrow) TryPackPAYGAS() ([]byte, error) {
	return escrow.abi.Pack("PAY_GAS")
}

// UnpackPAYGAS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4a7ebc6e.
//
// Solidity: function PAY_GAS() view returns(uint256)
func (escrow *Escrow) UnpackPAYGAS(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("PAY_GAS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackArbitrator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6cc6cde1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function arbitrator() view returns(address)
func (escrow *Escrow) PackArbitrator() []byte {
	enc, err := escrow.abi.Pack("arbitrator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackArbitrator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6cc6cde1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function arbitrator() view returns(address)
func (escrow *Escrow) TryPackArbitrator() ([]byte, error) {
	return escrow.abi.Pack("arbitrator")
}

// UnpackArbitrator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6cc6cde1.
//
// Solidity: function arbitrator() view returns(address)
func (escrow *Escrow) UnpackArbitrator(data []byte) (common.Address, error) {
	out, err := escrow.abi.Unpack("arbitrator", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackComplete is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x971d852f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function complete(uint256 id) returns()
func (escrow *Escrow) PackComplete(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("complete", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackComplete is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x971d852f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function complete(uint256 id) returns()
func (escrow *Escrow) TryPackComplete(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("complete", id)
}

// PackConfirm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xba0179b5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function confirm(uint256 id) returns()
func (escrow *Escrow) PackConfirm(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("confirm", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackConfirm is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xba0179b5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function confirm(uint256 id) returns()
func (escrow *Escrow) TryPackConfirm(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("confirm", id)
}

// PackConfirmPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4c974ebd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function confirmPeriod() view returns(uint32)
func (escrow *Escrow) PackConfirmPeriod() []byte {
	enc, err := escrow.abi.Pack("confirmPeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackConfirmPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4c974ebd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function confirmPeriod() view returns(uint32)
func (escrow *Escrow) TryPackConfirmPeriod() ([]byte, error) {
	return escrow.abi.Pack("confirmPeriod")
}

// UnpackConfirmPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4c974ebd.
//
// Solidity: function confirmPeriod() view returns(uint32)
func (escrow *Escrow) UnpackConfirmPeriod(data []byte) (uint32, error) {
	out, err := escrow.abi.Unpack("confirmPeriod", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackCreate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4fb8fa19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function create(address buyer, address seller, address token, uint256 amount, uint256 group) returns(uint256 id)
func (escrow *Escrow) PackCreate(buyer common.Address, seller common.Address, token common.Address, amount *big.Int, group *big.Int) []byte {
	enc, err := escrow.abi.Pack("create", buyer, seller, token, amount, group)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4fb8fa19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function create(address buyer, address seller, address token, uint256 amount, uint256 group) returns(uint256 id)
func (escrow *Escrow) TryPackCreate(buyer common.Address, seller common.Address, token common.Address, amount *big.Int, group *big.Int) ([]byte, error) {
	return escrow.abi.Pack("create", buyer, seller, token, amount, group)
}

// UnpackCreate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4fb8fa19.
//
// Solidity: function create(address buyer, address seller, address token, uint256 amount, uint256 group) returns(uint256 id)
func (escrow *Escrow) UnpackCreate(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("create", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCreateAndFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3d473041.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createAndFund(address seller, address token, uint256 amount, uint256 group) payable returns(uint256 id)
func (escrow *Escrow) PackCreateAndFund(seller common.Address, token common.Address, amount *big.Int, group *big.Int) []byte {
	enc, err := escrow.abi.Pack("createAndFund", seller, token, amount, group)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreateAndFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3d473041.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createAndFund(address seller, address token, uint256 amount, uint256 group) payable returns(uint256 id)
func (escrow *Escrow) TryPackCreateAndFund(seller common.Address, token common.Address, amount *big.Int, group *big.Int) ([]byte, error) {
	return escrow.abi.Pack("createAndFund", seller, token, amount, group)
}

// UnpackCreateAndFund is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3d473041.
//
// Solidity: function createAndFund(address seller, address token, uint256 amount, uint256 group) payable returns(uint256 id)
func (escrow *Escrow) UnpackCreateAndFund(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("createAndFund", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCredit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc1f0d2d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function credit(address , address ) view returns(uint256)
func (escrow *Escrow) PackCredit(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := escrow.abi.Pack("credit", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCredit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc1f0d2d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function credit(address , address ) view returns(uint256)
func (escrow *Escrow) TryPackCredit(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return escrow.abi.Pack("credit", arg0, arg1)
}

// UnpackCredit is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcc1f0d2d.
//
// Solidity: function credit(address , address ) view returns(uint256)
func (escrow *Escrow) UnpackCredit(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("credit", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDefaultRuling is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x77a856fa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function defaultRuling() view returns(uint8)
func (escrow *Escrow) PackDefaultRuling() []byte {
	enc, err := escrow.abi.Pack("defaultRuling")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDefaultRuling is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x77a856fa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function defaultRuling() view returns(uint8)
func (escrow *Escrow) TryPackDefaultRuling() ([]byte, error) {
	return escrow.abi.Pack("defaultRuling")
}

// UnpackDefaultRuling is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x77a856fa.
//
// Solidity: function defaultRuling() view returns(uint8)
func (escrow *Escrow) UnpackDefaultRuling(data []byte) (uint8, error) {
	out, err := escrow.abi.Unpack("defaultRuling", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDeliver is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3bd5d173.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deliver(uint256 id) returns()
func (escrow *Escrow) PackDeliver(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("deliver", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeliver is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3bd5d173.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deliver(uint256 id) returns()
func (escrow *Escrow) TryPackDeliver(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("deliver", id)
}

// PackDeliverPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xda2e958e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deliverPeriod() view returns(uint32)
func (escrow *Escrow) PackDeliverPeriod() []byte {
	enc, err := escrow.abi.Pack("deliverPeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeliverPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xda2e958e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deliverPeriod() view returns(uint32)
func (escrow *Escrow) TryPackDeliverPeriod() ([]byte, error) {
	return escrow.abi.Pack("deliverPeriod")
}

// UnpackDeliverPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xda2e958e.
//
// Solidity: function deliverPeriod() view returns(uint32)
func (escrow *Escrow) UnpackDeliverPeriod(data []byte) (uint32, error) {
	out, err := escrow.abi.Unpack("deliverPeriod", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x86d6282c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function dispute(uint256 id) returns(uint256 disputeID)
func (escrow *Escrow) PackDispute(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("dispute", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDispute is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x86d6282c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function dispute(uint256 id) returns(uint256 disputeID)
func (escrow *Escrow) TryPackDispute(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("dispute", id)
}

// UnpackDispute is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x86d6282c.
//
// Solidity: function dispute(uint256 id) returns(uint256 disputeID)
func (escrow *Escrow) UnpackDispute(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("dispute", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDisputeDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc8edb52.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputeDeal(uint256 ) view returns(uint256)
func (escrow *Escrow) PackDisputeDeal(arg0 *big.Int) []byte {
	enc, err := escrow.abi.Pack("disputeDeal", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputeDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc8edb52.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputeDeal(uint256 ) view returns(uint256)
func (escrow *Escrow) TryPackDisputeDeal(arg0 *big.Int) ([]byte, error) {
	return escrow.abi.Pack("disputeDeal", arg0)
}

// UnpackDisputeDeal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc8edb52.
//
// Solidity: function disputeDeal(uint256 ) view returns(uint256)
func (escrow *Escrow) UnpackDisputeDeal(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("disputeDeal", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDisputeIdOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf888e91d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputeIdOf(uint256 id) view returns(uint256)
func (escrow *Escrow) PackDisputeIdOf(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("disputeIdOf", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputeIdOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf888e91d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputeIdOf(uint256 id) view returns(uint256)
func (escrow *Escrow) TryPackDisputeIdOf(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("disputeIdOf", id)
}

// UnpackDisputeIdOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf888e91d.
//
// Solidity: function disputeIdOf(uint256 id) view returns(uint256)
func (escrow *Escrow) UnpackDisputeIdOf(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("disputeIdOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDisputePeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5bf31d4d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function disputePeriod() view returns(uint32)
func (escrow *Escrow) PackDisputePeriod() []byte {
	enc, err := escrow.abi.Pack("disputePeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDisputePeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5bf31d4d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function disputePeriod() view returns(uint32)
func (escrow *Escrow) TryPackDisputePeriod() ([]byte, error) {
	return escrow.abi.Pack("disputePeriod")
}

// UnpackDisputePeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5bf31d4d.
//
// Solidity: function disputePeriod() view returns(uint32)
func (escrow *Escrow) UnpackDisputePeriod(data []byte) (uint32, error) {
	out, err := escrow.abi.Unpack("disputePeriod", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xca1d209d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fund(uint256 id) payable returns()
func (escrow *Escrow) PackFund(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("fund", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xca1d209d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fund(uint256 id) payable returns()
func (escrow *Escrow) TryPackFund(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("fund", id)
}

// PackFundPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x43d668dc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fundPeriod() view returns(uint32)
func (escrow *Escrow) PackFundPeriod() []byte {
	enc, err := escrow.abi.Pack("fundPeriod")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFundPeriod is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x43d668dc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fundPeriod() view returns(uint32)
func (escrow *Escrow) TryPackFundPeriod() ([]byte, error) {
	return escrow.abi.Pack("fundPeriod")
}

// UnpackFundPeriod is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x43d668dc.
//
// Solidity: function fundPeriod() view returns(uint32)
func (escrow *Escrow) UnpackFundPeriod(data []byte) (uint32, error) {
	out, err := escrow.abi.Unpack("fundPeriod", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackGetDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x82fd5bac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getDeal(uint256 id) view returns((address,uint40,uint8,uint32,address,uint96,address))
func (escrow *Escrow) PackGetDeal(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("getDeal", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetDeal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x82fd5bac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getDeal(uint256 id) view returns((address,uint40,uint8,uint32,address,uint96,address))
func (escrow *Escrow) TryPackGetDeal(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("getDeal", id)
}

// UnpackGetDeal is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x82fd5bac.
//
// Solidity: function getDeal(uint256 id) view returns((address,uint40,uint8,uint32,address,uint96,address))
func (escrow *Escrow) UnpackGetDeal(data []byte) (EscrowDeal, error) {
	out, err := escrow.abi.Unpack("getDeal", data)
	if err != nil {
		return *new(EscrowDeal), err
	}
	out0 := *abi.ConvertType(out[0], new(EscrowDeal)).(*EscrowDeal)
	return out0, nil
}

// PackNextId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61b8ce8c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextId() view returns(uint256)
func (escrow *Escrow) PackNextId() []byte {
	enc, err := escrow.abi.Pack("nextId")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61b8ce8c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextId() view returns(uint256)
func (escrow *Escrow) TryPackNextId() ([]byte, error) {
	return escrow.abi.Pack("nextId")
}

// UnpackNextId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x61b8ce8c.
//
// Solidity: function nextId() view returns(uint256)
func (escrow *Escrow) UnpackNextId(data []byte) (*big.Int, error) {
	out, err := escrow.abi.Unpack("nextId", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x278ecde1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refund(uint256 id) returns()
func (escrow *Escrow) PackRefund(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("refund", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x278ecde1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refund(uint256 id) returns()
func (escrow *Escrow) TryPackRefund(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("refund", id)
}

// PackRule is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x311a6c56.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rule(uint256 disputeID, uint256 ruling) returns()
func (escrow *Escrow) PackRule(disputeID *big.Int, ruling *big.Int) []byte {
	enc, err := escrow.abi.Pack("rule", disputeID, ruling)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRule is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x311a6c56.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rule(uint256 disputeID, uint256 ruling) returns()
func (escrow *Escrow) TryPackRule(disputeID *big.Int, ruling *big.Int) ([]byte, error) {
	return escrow.abi.Pack("rule", disputeID, ruling)
}

// PackSubmitEvidence is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ebf1ea4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function submitEvidence(uint256 id, string uri, bytes32 hash) returns()
func (escrow *Escrow) PackSubmitEvidence(id *big.Int, uri string, hash [32]byte) []byte {
	enc, err := escrow.abi.Pack("submitEvidence", id, uri, hash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSubmitEvidence is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ebf1ea4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function submitEvidence(uint256 id, string uri, bytes32 hash) returns()
func (escrow *Escrow) TryPackSubmitEvidence(id *big.Int, uri string, hash [32]byte) ([]byte, error) {
	return escrow.abi.Pack("submitEvidence", id, uri, hash)
}

// PackTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x08148f7a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function timeout(uint256 id) returns()
func (escrow *Escrow) PackTimeout(id *big.Int) []byte {
	enc, err := escrow.abi.Pack("timeout", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTimeout is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x08148f7a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function timeout(uint256 id) returns()
func (escrow *Escrow) TryPackTimeout(id *big.Int) ([]byte, error) {
	return escrow.abi.Pack("timeout", id)
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51cff8d9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(address token) returns()
func (escrow *Escrow) PackWithdraw(token common.Address) []byte {
	enc, err := escrow.abi.Pack("withdraw", token)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51cff8d9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(address token) returns()
func (escrow *Escrow) TryPackWithdraw(token common.Address) ([]byte, error) {
	return escrow.abi.Pack("withdraw", token)
}

// EscrowCredited represents a Credited event raised by the Escrow contract.
type EscrowCredited struct {
	Token   common.Address
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const EscrowCreditedEventName = "Credited"

// ContractEventName returns the user-defined event name.
func (EscrowCredited) ContractEventName() string {
	return EscrowCreditedEventName
}

// UnpackCreditedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Credited(address indexed token, address indexed account, uint256 amount)
func (escrow *Escrow) UnpackCreditedEvent(log *types.Log) (*EscrowCredited, error) {
	event := "Credited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowCredited)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowDealCreated represents a DealCreated event raised by the Escrow contract.
type EscrowDealCreated struct {
	Id     *big.Int
	Buyer  common.Address
	Seller common.Address
	Token  common.Address
	Amount *big.Int
	Group  *big.Int
	Status uint8
	Raw    *types.Log // Blockchain specific contextual infos
}

const EscrowDealCreatedEventName = "DealCreated"

// ContractEventName returns the user-defined event name.
func (EscrowDealCreated) ContractEventName() string {
	return EscrowDealCreatedEventName
}

// UnpackDealCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DealCreated(uint256 indexed id, address indexed buyer, address indexed seller, address token, uint256 amount, uint256 group, uint8 status)
func (escrow *Escrow) UnpackDealCreatedEvent(log *types.Log) (*EscrowDealCreated, error) {
	event := "DealCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowDealCreated)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowDispute represents a Dispute event raised by the Escrow contract.
type EscrowDispute struct {
	Arbitrator      common.Address
	DisputeID       *big.Int
	MetaEvidenceID  *big.Int
	EvidenceGroupID *big.Int
	Raw             *types.Log // Blockchain specific contextual infos
}

const EscrowDisputeEventName = "Dispute"

// ContractEventName returns the user-defined event name.
func (EscrowDispute) ContractEventName() string {
	return EscrowDisputeEventName
}

// UnpackDisputeEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Dispute(address indexed _arbitrator, uint256 indexed _disputeID, uint256 _metaEvidenceID, uint256 _evidenceGroupID)
func (escrow *Escrow) UnpackDisputeEvent(log *types.Log) (*EscrowDispute, error) {
	event := "Dispute"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowDispute)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowDisputeLost represents a DisputeLost event raised by the Escrow contract.
type EscrowDisputeLost struct {
	Id        *big.Int
	Seller    common.Address
	DisputeID *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const EscrowDisputeLostEventName = "DisputeLost"

// ContractEventName returns the user-defined event name.
func (EscrowDisputeLost) ContractEventName() string {
	return EscrowDisputeLostEventName
}

// UnpackDisputeLostEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DisputeLost(uint256 indexed id, address indexed seller, uint256 disputeID)
func (escrow *Escrow) UnpackDisputeLostEvent(log *types.Log) (*EscrowDisputeLost, error) {
	event := "DisputeLost"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowDisputeLost)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowEvidence represents a Evidence event raised by the Escrow contract.
type EscrowEvidence struct {
	Arbitrator      common.Address
	EvidenceGroupID *big.Int
	Party           common.Address
	Evidence        string
	EvidenceHash    [32]byte
	Raw             *types.Log // Blockchain specific contextual infos
}

const EscrowEvidenceEventName = "Evidence"

// ContractEventName returns the user-defined event name.
func (EscrowEvidence) ContractEventName() string {
	return EscrowEvidenceEventName
}

// UnpackEvidenceEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Evidence(address indexed _arbitrator, uint256 indexed _evidenceGroupID, address indexed _party, string _evidence, bytes32 _evidenceHash)
func (escrow *Escrow) UnpackEvidenceEvent(log *types.Log) (*EscrowEvidence, error) {
	event := "Evidence"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowEvidence)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowRuling represents a Ruling event raised by the Escrow contract.
type EscrowRuling struct {
	Arbitrator common.Address
	DisputeID  *big.Int
	Ruling     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const EscrowRulingEventName = "Ruling"

// ContractEventName returns the user-defined event name.
func (EscrowRuling) ContractEventName() string {
	return EscrowRulingEventName
}

// UnpackRulingEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Ruling(address indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling)
func (escrow *Escrow) UnpackRulingEvent(log *types.Log) (*EscrowRuling, error) {
	event := "Ruling"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowRuling)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowStatusChanged represents a StatusChanged event raised by the Escrow contract.
type EscrowStatusChanged struct {
	Id     *big.Int
	Action *big.Int
	Status uint8
	By     common.Address
	Data   *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const EscrowStatusChangedEventName = "StatusChanged"

// ContractEventName returns the user-defined event name.
func (EscrowStatusChanged) ContractEventName() string {
	return EscrowStatusChangedEventName
}

// UnpackStatusChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StatusChanged(uint256 indexed id, uint256 action, uint8 status, address by, uint256 data)
func (escrow *Escrow) UnpackStatusChangedEvent(log *types.Log) (*EscrowStatusChanged, error) {
	event := "StatusChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowStatusChanged)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// EscrowWithdrawn represents a Withdrawn event raised by the Escrow contract.
type EscrowWithdrawn struct {
	Token   common.Address
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const EscrowWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (EscrowWithdrawn) ContractEventName() string {
	return EscrowWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed token, address indexed account, uint256 amount)
func (escrow *Escrow) UnpackWithdrawnEvent(log *types.Log) (*EscrowWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != escrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EscrowWithdrawn)
	if len(log.Data) > 0 {
		if err := escrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range escrow.abi.Events[event].Inputs {
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

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (escrow *Escrow) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], escrow.abi.Errors["Forbidden"].ID.Bytes()[:4]) {
		return escrow.UnpackForbiddenError(raw[4:])
	}
	if bytes.Equal(raw[:4], escrow.abi.Errors["InvalidInput"].ID.Bytes()[:4]) {
		return escrow.UnpackInvalidInputError(raw[4:])
	}
	if bytes.Equal(raw[:4], escrow.abi.Errors["InvalidState"].ID.Bytes()[:4]) {
		return escrow.UnpackInvalidStateError(raw[4:])
	}
	if bytes.Equal(raw[:4], escrow.abi.Errors["NotDue"].ID.Bytes()[:4]) {
		return escrow.UnpackNotDueError(raw[4:])
	}
	if bytes.Equal(raw[:4], escrow.abi.Errors["NotFound"].ID.Bytes()[:4]) {
		return escrow.UnpackNotFoundError(raw[4:])
	}
	if bytes.Equal(raw[:4], escrow.abi.Errors["Reentrant"].ID.Bytes()[:4]) {
		return escrow.UnpackReentrantError(raw[4:])
	}
	if bytes.Equal(raw[:4], escrow.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return escrow.UnpackTransferFailedError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// EscrowForbidden represents a Forbidden error raised by the Escrow contract.
type EscrowForbidden struct {
	Id     *big.Int
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Forbidden(uint256 id, address caller)
func EscrowForbiddenErrorID() common.Hash {
	return common.HexToHash("0x17668e5388260aa1506842833223e22e4df0c2a0b331aeec2720b0f31d1bb910")
}

// UnpackForbiddenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Forbidden(uint256 id, address caller)
func (escrow *Escrow) UnpackForbiddenError(raw []byte) (*EscrowForbidden, error) {
	out := new(EscrowForbidden)
	if err := escrow.abi.UnpackIntoInterface(out, "Forbidden", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowInvalidInput represents a InvalidInput error raised by the Escrow contract.
type EscrowInvalidInput struct {
	Field string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidInput(string field)
func EscrowInvalidInputErrorID() common.Hash {
	return common.HexToHash("0xd647364f6372634b5b80f364ade32a6f36738fbd78295784181d4149356c4e7b")
}

// UnpackInvalidInputError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidInput(string field)
func (escrow *Escrow) UnpackInvalidInputError(raw []byte) (*EscrowInvalidInput, error) {
	out := new(EscrowInvalidInput)
	if err := escrow.abi.UnpackIntoInterface(out, "InvalidInput", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowInvalidState represents a InvalidState error raised by the Escrow contract.
type EscrowInvalidState struct {
	Id     *big.Int
	Status uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidState(uint256 id, uint8 status)
func EscrowInvalidStateErrorID() common.Hash {
	return common.HexToHash("0x0a5889e5ba06f074203ac2de622fe898f1382aeb7fb488e304419722bd656d7d")
}

// UnpackInvalidStateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidState(uint256 id, uint8 status)
func (escrow *Escrow) UnpackInvalidStateError(raw []byte) (*EscrowInvalidState, error) {
	out := new(EscrowInvalidState)
	if err := escrow.abi.UnpackIntoInterface(out, "InvalidState", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowNotDue represents a NotDue error raised by the Escrow contract.
type EscrowNotDue struct {
	Id       *big.Int
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotDue(uint256 id, uint256 deadline)
func EscrowNotDueErrorID() common.Hash {
	return common.HexToHash("0x39c32aeb2f450b5b0c4c71be1bcb96300aa6ef02d622a49b4be942836edad3e1")
}

// UnpackNotDueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotDue(uint256 id, uint256 deadline)
func (escrow *Escrow) UnpackNotDueError(raw []byte) (*EscrowNotDue, error) {
	out := new(EscrowNotDue)
	if err := escrow.abi.UnpackIntoInterface(out, "NotDue", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowNotFound represents a NotFound error raised by the Escrow contract.
type EscrowNotFound struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotFound(uint256 id)
func EscrowNotFoundErrorID() common.Hash {
	return common.HexToHash("0xc80a970c8db4f4ff3275c1c3bd763c76593a5bb2f9dbdc45a989cf7a3bf32ace")
}

// UnpackNotFoundError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotFound(uint256 id)
func (escrow *Escrow) UnpackNotFoundError(raw []byte) (*EscrowNotFound, error) {
	out := new(EscrowNotFound)
	if err := escrow.abi.UnpackIntoInterface(out, "NotFound", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowReentrant represents a Reentrant error raised by the Escrow contract.
type EscrowReentrant struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Reentrant()
func EscrowReentrantErrorID() common.Hash {
	return common.HexToHash("0xed3ba6a62877a99990a32617b4e001f2c85c7886f010c9b166e8438fd38bcb40")
}

// UnpackReentrantError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Reentrant()
func (escrow *Escrow) UnpackReentrantError(raw []byte) (*EscrowReentrant, error) {
	out := new(EscrowReentrant)
	if err := escrow.abi.UnpackIntoInterface(out, "Reentrant", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EscrowTransferFailed represents a TransferFailed error raised by the Escrow contract.
type EscrowTransferFailed struct {
	Token  common.Address
	To     common.Address
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed(address token, address to, uint256 amount)
func EscrowTransferFailedErrorID() common.Hash {
	return common.HexToHash("0xbf182be802245e8ed88e4b8d3e4344c0863dd2a70334f089fd07265389306fcf")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed(address token, address to, uint256 amount)
func (escrow *Escrow) UnpackTransferFailedError(raw []byte) (*EscrowTransferFailed, error) {
	out := new(EscrowTransferFailed)
	if err := escrow.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}
