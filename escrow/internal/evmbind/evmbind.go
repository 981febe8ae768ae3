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
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"AlreadyVoted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"}],\"name\":\"BadChoice\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"field\",\"type\":\"string\"}],\"name\":\"BadInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"BadReveal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"NotEligible\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"UnknownCase\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"UnknownGroup\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"WrongPhase\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_disputeID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"contractIArbitrable\",\"name\":\"_arbitrable\",\"type\":\"address\"}],\"name\":\"DisputeCreation\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"votePeriod\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"revealPeriod\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"quorum\",\"type\":\"uint16\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"open\",\"type\":\"bool\"}],\"name\":\"GroupCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"isMember\",\"type\":\"bool\"}],\"name\":\"MemberChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"ruling\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerVotes\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"sellerVotes\",\"type\":\"uint256\"}],\"name\":\"Ruled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"}],\"name\":\"VoteCast\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"VoteCommitted\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"internalType\":\"address[]\",\"name\":\"members\",\"type\":\"address[]\"}],\"name\":\"addMembers\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"\",\"type\":\"bytes\"}],\"name\":\"arbitrationCost\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"ballots\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"caseCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"cases\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"arbitrable\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"opened\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"group\",\"type\":\"uint32\"},{\"internalType\":\"uint16\",\"name\":\"buyerVotes\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"sellerVotes\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"commitment\",\"type\":\"bytes32\"}],\"name\":\"commit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"choices\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"extraData\",\"type\":\"bytes\"}],\"name\":\"createDispute\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"votePeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"revealPeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint16\",\"name\":\"quorum\",\"type\":\"uint16\"},{\"internalType\":\"bool\",\"name\":\"open\",\"type\":\"bool\"},{\"internalType\":\"address[]\",\"name\":\"members\",\"type\":\"address[]\"}],\"name\":\"createGroup\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"currentRuling\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"execute\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"ruling\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"groupCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"groups\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"votePeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"revealPeriod\",\"type\":\"uint32\"},{\"internalType\":\"uint16\",\"name\":\"quorum\",\"type\":\"uint16\"},{\"internalType\":\"bool\",\"name\":\"open\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"exists\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"memberSince\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"partiesHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"member\",\"type\":\"address\"}],\"name\":\"removeMember\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"}],\"name\":\"reveal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"choice\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"}],\"name\":\"vote\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "0b828d1c6f31e74b24ae39dacdddedf2fe",
	Bin: "0x6080604052348015600e575f5ffd5b5061203d8061001c5f395ff3fe608060405260043610610109575f3560e01c806396324bd4116100a1578063da2d7e9511610071578063f2f0387711610057578063f2f0387714610513578063f7434ea914610532578063fe0d94c114610551575f5ffd5b8063da2d7e95146103e3578063f09790dd146103f8575f5ffd5b806396324bd414610232578063b27a92a51461037b578063c13517e11461039a578063c52d2b96146103ad575f5ffd5b806379fdfcdf116100dc57806379fdfcdf146101aa5780637f7bc23a146101c957806387fe46af146101ff5780638f23b3261461021e575f5ffd5b80631c3db16d1461010d57806330cb1abf1461013f5780634ab6ba7c1461016a5780636be7658b1461018b575b5f5ffd5b348015610118575f5ffd5b5061012c610127366004611bfa565b610570565b6040519081526020015b60405180910390f35b34801561014a575f5ffd5b5061012c610159366004611bfa565b60056020525f908152604090205481565b348015610175575f5ffd5b50610189610184366004611c59565b610644565b005b348015610196575f5ffd5b506101896101a5366004611cc5565b6106be565b3480156101b5575f5ffd5b5061012c6101c4366004611d0b565b61078d565b3480156101d4575f5ffd5b5061012c6101e3366004611cc5565b600660209081525f928352604080842090915290825290205481565b34801561020a575f5ffd5b50610189610219366004611d9a565b610a72565b348015610229575f5ffd5b5061012c5f5481565b34801561023d575f5ffd5b5061032561024c366004611bfa565b60026020525f908152604090205473ffffffffffffffffffffffffffffffffffffffff81169063ffffffff740100000000000000000000000000000000000000008204811691780100000000000000000000000000000000000000000000000081049091169061ffff7c01000000000000000000000000000000000000000000000000000000008204169060ff7e0100000000000000000000000000000000000000000000000000000000000082048116917f010000000000000000000000000000000000000000000000000000000000000090041686565b6040805173ffffffffffffffffffffffffffffffffffffffff909716875263ffffffff9586166020880152949093169385019390935261ffff1660608401529015156080830152151560a082015260c001610136565b348015610386575f5ffd5b50610189610395366004611dec565b610caa565b61012c6103a8366004611e71565b610e27565b3480156103b8575f5ffd5b5061012c6103c7366004611cc5565b600360209081525f928352604080842090915290825290205481565b3480156103ee575f5ffd5b5061012c60015481565b348015610403575f5ffd5b506104c4610412366004611bfa565b60046020525f908152604090205473ffffffffffffffffffffffffffffffffffffffff81169063ffffffff740100000000000000000000000000000000000000008204811691780100000000000000000000000000000000000000000000000081049091169061ffff7c010000000000000000000000000000000000000000000000000000000082048116917e0100000000000000000000000000000000000000000000000000000000000090041685565b6040805173ffffffffffffffffffffffffffffffffffffffff909616865263ffffffff9485166020870152939092169284019290925261ffff918216606084015216608082015260a001610136565b34801561051e575f5ffd5b5061018961052d366004611eac565b611185565b34801561053d575f5ffd5b5061012c61054c366004611ecc565b611462565b34801561055c575f5ffd5b5061012c61056b366004611bfa565b61146a565b5f818152600460209081526040808320805463ffffffff78010000000000000000000000000000000000000000000000008204168552600290935290832054909161ffff7c01000000000000000000000000000000000000000000000000000000008083048216937e01000000000000000000000000000000000000000000000000000000000000909304821692041661060a8284611f38565b101561061a57505f949350505050565b8082116106355781811161062e575f610638565b6002610638565b60015b60ff1695945050505050565b5f8381526002602052604090205473ffffffffffffffffffffffffffffffffffffffff1633146106ae576040517f41fa8cfe000000000000000000000000000000000000000000000000000000008152600481018490523360248201526044015b60405180910390fd5b6106b9838383611698565b505050565b5f8281526002602052604090205473ffffffffffffffffffffffffffffffffffffffff163314610723576040517f41fa8cfe000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016106a5565b5f82815260036020908152604080832073ffffffffffffffffffffffffffffffffffffffff851680855290835281842084905590519283529184917fb14e658ab6723d2aa4c643bd297a7ea69f71ac4258221a743b827220291b6518910160405180910390a35050565b5f8663ffffffff165f036107fd576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600a60248201527f766f7465506572696f640000000000000000000000000000000000000000000060448201526064016106a5565b5f5f815461080a90611f4b565b91829055506040805160c0810182523380825263ffffffff808c1660208085019182528c831685870190815261ffff808e16606088019081528d151560808901908152600160a08a019081525f8c81526002909652948a9020985189549651945192519151955115157f0100000000000000000000000000000000000000000000000000000000000000027effffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff9615157e0100000000000000000000000000000000000000000000000000000000000002969096167dffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff929094167c0100000000000000000000000000000000000000000000000000000000027fffff0000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff938916780100000000000000000000000000000000000000000000000002939093167fffff000000000000ffffffffffffffffffffffffffffffffffffffffffffffff9590981674010000000000000000000000000000000000000000027fffffffffffffffff00000000000000000000000000000000000000000000000090971673ffffffffffffffffffffffffffffffffffffffff91909116179590951792909216949094171791909116919091171790915590519192509082907f7cd2c94df7e60a8aa38f8dd2cffa1c36f61a385687d374b1e87c4a5b69f1376290610a55908b908b908b908b9063ffffffff948516815292909316602083015261ffff166040820152901515606082015260800190565b60405180910390a3610a68818484611698565b9695505050505050565b5f85815260046020526040812090610a8a82886117fc565b805483549192505f91610ac39163ffffffff74010000000000000000000000000000000000000000918290048116929190910416611f38565b82549091507801000000000000000000000000000000000000000000000000900463ffffffff161580610af557508042105b80610b2d57508154610b29907801000000000000000000000000000000000000000000000000900463ffffffff1682611f38565b4210155b15610b67576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018990526024016106a5565b610b7483838a88886118df565b5f8881526006602090815260408083203384529091529020547fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8101610bef576040517f04f9da63000000000000000000000000000000000000000000000000000000008152600481018a90523360248201526044016106a5565b801580610c385750604080513060208201529081018a90523360608201526080810189905260a0810188905260c001604051602081830303815290604052805190602001208114155b15610c78576040517fdd9ea273000000000000000000000000000000000000000000000000000000008152600481018a90523360248201526044016106a5565b5f898152600660209081526040808320338452909152902060019055610c9f848a8a611af3565b505050505050505050565b5f84815260046020526040812090610cc282876117fc565b80549091507801000000000000000000000000000000000000000000000000900463ffffffff1615610d23576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018790526024016106a5565b80548254610d579163ffffffff74010000000000000000000000000000000000000000918290048116929190910416611f38565b4210610d92576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018790526024016106a5565b610d9f82828887876118df565b5f86815260066020908152604080832033845290915290205415610df8576040517f04f9da63000000000000000000000000000000000000000000000000000000008152600481018790523360248201526044016106a5565b5f868152600660209081526040808320338452909152902060019055610e1f828787611af3565b505050505050565b5f3415610e90576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f76616c756500000000000000000000000000000000000000000000000000000060448201526064016106a5565b83600214610efa576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f63686f696365730000000000000000000000000000000000000000000000000060448201526064016106a5565b5f8080610f0985870187611f82565b5f8381526002602052604090205492955090935091507f0100000000000000000000000000000000000000000000000000000000000000900460ff16610f7e576040517fcfd439dd000000000000000000000000000000000000000000000000000000008152600481018490526024016106a5565b60015f8154610f8c90611f4b565b91829055506040805160a0810182523380825263ffffffff42811660208085019182528983168587019081525f6060808801828152608089018381528b8452600486528a842099518a54975195519251915161ffff9081167e01000000000000000000000000000000000000000000000000000000000000027dffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff919093167c0100000000000000000000000000000000000000000000000000000000027fffff0000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff948b16780100000000000000000000000000000000000000000000000002949094167fffff000000000000ffffffffffffffffffffffffffffffffffffffffffffffff97909a1674010000000000000000000000000000000000000000027fffffffffffffffff00000000000000000000000000000000000000000000000090991673ffffffffffffffffffffffffffffffffffffffff92831617989098179590951697909717179490941694909417909555855189861681830152948816858701528551808603870181529490910180865284519482019490942086835260059091529381209390935592965086917f141dfc18aa6a56fc816f44f0e9e2f1ebc92b15ab167770e17db5b084c10ed99591a35050509392505050565b5f8281526004602052604081209061119d82856117fc565b80549091507801000000000000000000000000000000000000000000000000900463ffffffff1615806112035750805482546111ff9163ffffffff74010000000000000000000000000000000000000000918290048116929190910416611f38565b4210155b1561123d576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018590526024016106a5565b80547e01000000000000000000000000000000000000000000000000000000000000900460ff1615801561130a575081547801000000000000000000000000000000000000000000000000900463ffffffff165f908152600360209081526040808320338452909152902054158061130a5750815463ffffffff7801000000000000000000000000000000000000000000000000820481165f9081526003602090815260408083203384529091529020547401000000000000000000000000000000000000000090920416105b1561134a576040517f6fc842cf000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016106a5565b8215806113575750600183145b156113be576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600a60248201527f636f6d6d69746d656e740000000000000000000000000000000000000000000060448201526064016106a5565b5f84815260066020908152604080832033845290915290205415611417576040517f04f9da63000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016106a5565b5f84815260066020908152604080832033808552925280832086905551909186917f3834a2c8ea101e1468b529270d35fbff0a12de32a5a7e5729b8b4dad6fb32c019190a350505050565b5f5b92915050565b5f8181526004602052604081208161148282856117fc565b8054835491925063ffffffff780100000000000000000000000000000000000000000000000082048116926114d6927401000000000000000000000000000000000000000090819004831692910416611f38565b6114e09190611f38565b42101561151c576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018590526024016106a5565b8154815461ffff7c01000000000000000000000000000000000000000000000000000000008084048216937e01000000000000000000000000000000000000000000000000000000000000900482169204166115788284611f38565b106115a15780821161159857818111611591575f61159b565b600261159b565b60015b60ff1694505b83547fffffffffffffffff00000000ffffffffffffffffffffffffffffffffffffffff168455604080518681526020810184905290810182905286907f68dcf17ec4e2b080c130858d7dfa1c9f22a9f647989fdb41a3f143bd7f7bfc289060600160405180910390a283546040517f311a6c56000000000000000000000000000000000000000000000000000000008152600481018890526024810187905273ffffffffffffffffffffffffffffffffffffffff9091169063311a6c56906044015f604051808303815f87803b158015611679575f5ffd5b505af115801561168b573d5f5f3e3d5ffd5b5050505050505050919050565b5f5b818110156117f6575f848152600360205260408120908484848181106116c2576116c2611fc1565b90506020020160208101906116d79190611fee565b73ffffffffffffffffffffffffffffffffffffffff1673ffffffffffffffffffffffffffffffffffffffff1681526020019081526020015f20545f036117ee575f848152600360205260408120429185858581811061173857611738611fc1565b905060200201602081019061174d9190611fee565b73ffffffffffffffffffffffffffffffffffffffff16815260208101919091526040015f205582828281811061178557611785611fc1565b905060200201602081019061179a9190611fee565b73ffffffffffffffffffffffffffffffffffffffff16847fb14e658ab6723d2aa4c643bd297a7ea69f71ac4258221a743b827220291b651860016040516117e5911515815260200190565b60405180910390a35b60010161169a565b50505050565b81545f9073ffffffffffffffffffffffffffffffffffffffff1661184f576040517fec552da4000000000000000000000000000000000000000000000000000000008152600481018390526024016106a5565b825474010000000000000000000000000000000000000000900463ffffffff165f036118aa576040517f1975b118000000000000000000000000000000000000000000000000000000008152600481018390526024016106a5565b5050547801000000000000000000000000000000000000000000000000900463ffffffff165f90815260026020526040902090565b5f8381526005602090815260409182902054915161192391859185910173ffffffffffffffffffffffffffffffffffffffff92831681529116602082015260400190565b60405160208183030381529060405280519060200120146119a0576040517f6dd4c67600000000000000000000000000000000000000000000000000000000815260206004820152600760248201527f706172746965730000000000000000000000000000000000000000000000000060448201526064016106a5565b3373ffffffffffffffffffffffffffffffffffffffff831614806119d957503373ffffffffffffffffffffffffffffffffffffffff8216145b15611a19576040517f6fc842cf000000000000000000000000000000000000000000000000000000008152600481018490523360248201526044016106a5565b83547e01000000000000000000000000000000000000000000000000000000000000900460ff16611aec5784547801000000000000000000000000000000000000000000000000900463ffffffff165f908152600360209081526040808320338452909152902054801580611aac5750855474010000000000000000000000000000000000000000900463ffffffff1681115b15610e1f576040517f6fc842cf000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016106a5565b5050505050565b80600103611b4d5782547c0100000000000000000000000000000000000000000000000000000000900461ffff1683601c611b2d83612010565b91906101000a81548161ffff021916908361ffff16021790555050611bbe565b80600203611b895782547e01000000000000000000000000000000000000000000000000000000000000900461ffff1683601e611b2d83612010565b6040517f3b393548000000000000000000000000000000000000000000000000000000008152600481018290526024016106a5565b604051818152339083907f2acce567deca3aabf56327adbb4524bd5318936eaefa69e3a5208ffda0cfec099060200160405180910390a3505050565b5f60208284031215611c0a575f5ffd5b5035919050565b5f5f83601f840112611c21575f5ffd5b50813567ffffffffffffffff811115611c38575f5ffd5b6020830191508360208260051b8501011115611c52575f5ffd5b9250929050565b5f5f5f60408486031215611c6b575f5ffd5b83359250602084013567ffffffffffffffff811115611c88575f5ffd5b611c9486828701611c11565b9497909650939450505050565b73ffffffffffffffffffffffffffffffffffffffff81168114611cc2575f5ffd5b50565b5f5f60408385031215611cd6575f5ffd5b823591506020830135611ce881611ca1565b809150509250929050565b803563ffffffff81168114611d06575f5ffd5b919050565b5f5f5f5f5f5f60a08789031215611d20575f5ffd5b611d2987611cf3565b9550611d3760208801611cf3565b9450604087013561ffff81168114611d4d575f5ffd5b935060608701358015158114611d61575f5ffd5b9250608087013567ffffffffffffffff811115611d7c575f5ffd5b611d8889828a01611c11565b979a9699509497509295939492505050565b5f5f5f5f5f60a08688031215611dae575f5ffd5b8535945060208601359350604086013592506060860135611dce81611ca1565b91506080860135611dde81611ca1565b809150509295509295909350565b5f5f5f5f60808587031215611dff575f5ffd5b84359350602085013592506040850135611e1881611ca1565b91506060850135611e2881611ca1565b939692955090935050565b5f5f83601f840112611e43575f5ffd5b50813567ffffffffffffffff811115611e5a575f5ffd5b602083019150836020828501011115611c52575f5ffd5b5f5f5f60408486031215611e83575f5ffd5b83359250602084013567ffffffffffffffff811115611ea0575f5ffd5b611c9486828701611e33565b5f5f60408385031215611ebd575f5ffd5b50508035926020909101359150565b5f5f60208385031215611edd575f5ffd5b823567ffffffffffffffff811115611ef3575f5ffd5b611eff85828601611e33565b90969095509350505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b8082018082111561146457611464611f0b565b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8203611f7b57611f7b611f0b565b5060010190565b5f5f5f60608486031215611f94575f5ffd5b833592506020840135611fa681611ca1565b91506040840135611fb681611ca1565b809150509250925092565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b5f60208284031215611ffe575f5ffd5b813561200981611ca1565b9392505050565b5f61ffff821661ffff810361202757612027611f0b565b6001019291505056fea164736f6c6343000825000a",
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

// PackCaseCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xda2d7e95.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function caseCount() view returns(uint256)
func (communityArbitrator *CommunityArbitrator) PackCaseCount() []byte {
	enc, err := communityArbitrator.abi.Pack("caseCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCaseCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xda2d7e95.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function caseCount() view returns(uint256)
func (communityArbitrator *CommunityArbitrator) TryPackCaseCount() ([]byte, error) {
	return communityArbitrator.abi.Pack("caseCount")
}

// UnpackCaseCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xda2d7e95.
//
// Solidity: function caseCount() view returns(uint256)
func (communityArbitrator *CommunityArbitrator) UnpackCaseCount(data []byte) (*big.Int, error) {
	out, err := communityArbitrator.abi.Unpack("caseCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCases is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf09790dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cases(uint256 ) view returns(address arbitrable, uint32 opened, uint32 group, uint16 buyerVotes, uint16 sellerVotes)
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
// Solidity: function cases(uint256 ) view returns(address arbitrable, uint32 opened, uint32 group, uint16 buyerVotes, uint16 sellerVotes)
func (communityArbitrator *CommunityArbitrator) TryPackCases(arg0 *big.Int) ([]byte, error) {
	return communityArbitrator.abi.Pack("cases", arg0)
}

// CasesOutput serves as a container for the return parameters of contract
// method Cases.
type CasesOutput struct {
	Arbitrable  common.Address
	Opened      uint32
	Group       uint32
	BuyerVotes  uint16
	SellerVotes uint16
}

// UnpackCases is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf09790dd.
//
// Solidity: function cases(uint256 ) view returns(address arbitrable, uint32 opened, uint32 group, uint16 buyerVotes, uint16 sellerVotes)
func (communityArbitrator *CommunityArbitrator) UnpackCases(data []byte) (CasesOutput, error) {
	out, err := communityArbitrator.abi.Unpack("cases", data)
	outstruct := new(CasesOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Arbitrable = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Opened = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	outstruct.Group = *abi.ConvertType(out[2], new(uint32)).(*uint32)
	outstruct.BuyerVotes = *abi.ConvertType(out[3], new(uint16)).(*uint16)
	outstruct.SellerVotes = *abi.ConvertType(out[4], new(uint16)).(*uint16)
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

// PackPartiesHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x30cb1abf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function partiesHash(uint256 ) view returns(bytes32)
func (communityArbitrator *CommunityArbitrator) PackPartiesHash(arg0 *big.Int) []byte {
	enc, err := communityArbitrator.abi.Pack("partiesHash", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPartiesHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x30cb1abf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function partiesHash(uint256 ) view returns(bytes32)
func (communityArbitrator *CommunityArbitrator) TryPackPartiesHash(arg0 *big.Int) ([]byte, error) {
	return communityArbitrator.abi.Pack("partiesHash", arg0)
}

// UnpackPartiesHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x30cb1abf.
//
// Solidity: function partiesHash(uint256 ) view returns(bytes32)
func (communityArbitrator *CommunityArbitrator) UnpackPartiesHash(data []byte) ([32]byte, error) {
	out, err := communityArbitrator.abi.Unpack("partiesHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"internalType\":\"uint32\",\"name\":\"_fund\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"_deliver\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"_confirm\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"_dispute\",\"type\":\"uint32\"},{\"internalType\":\"uint8\",\"name\":\"_defaultRuling\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"Forbidden\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"field\",\"type\":\"string\"}],\"name\":\"InvalidInput\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"name\":\"InvalidState\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"NotDue\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"NotFound\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Reentrant\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Credited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"DealCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_disputeID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_metaEvidenceID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_evidenceGroupID\",\"type\":\"uint256\"}],\"name\":\"Dispute\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"name\":\"DisputeLost\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_evidenceGroupID\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"_party\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"_evidence\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"_evidenceHash\",\"type\":\"bytes32\"}],\"name\":\"Evidence\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"contractIArbitrator\",\"name\":\"_arbitrator\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"_disputeID\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_ruling\",\"type\":\"uint256\"}],\"name\":\"Ruling\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"action\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"data\",\"type\":\"uint256\"}],\"name\":\"StatusChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"PAY_GAS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"arbitrator\",\"outputs\":[{\"internalType\":\"contractIArbitrator\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"complete\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"confirm\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"confirmPeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"create\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"group\",\"type\":\"uint256\"}],\"name\":\"createAndFund\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"credit\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"defaultRuling\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"deliver\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"deliverPeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"dispute\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"disputeDeal\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"disputePeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"fund\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"fundPeriod\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getDeal\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"uint40\",\"name\":\"deadline\",\"type\":\"uint40\"},{\"internalType\":\"enumEscrow.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"uint32\",\"name\":\"group\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"uint96\",\"name\":\"amount\",\"type\":\"uint96\"},{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"internalType\":\"structEscrow.Deal\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextId\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"disputeID\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"ruling\",\"type\":\"uint256\"}],\"name\":\"rule\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"uri\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"}],\"name\":\"submitEvidence\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"timeout\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "074fbaccb0112bf5599bbe624530bb4d26",
	Bin: "0x61016060405260015f55348015610014575f5ffd5b50604051612e4f380380612e4f83398101604081905261003391610195565b6001600160a01b03861661007c5760405163d647364f60e01b815260206004820152600a60248201526930b93134ba3930ba37b960b11b60448201526064015b60405180910390fd5b63ffffffff85161580610093575063ffffffff8416155b806100a2575063ffffffff8316155b806100b1575063ffffffff8216155b156100e85760405163d647364f60e01b81526020600482015260066024820152651c195c9a5bd960d21b6044820152606401610073565b60018160ff1614158015610100575060028160ff1614155b1561013e5760405163d647364f60e01b815260206004820152600d60248201526c64656661756c7452756c696e6760981b6044820152606401610073565b6001600160a01b0390951660808190523b151560a05263ffffffff908116610120529081166101005290811660e0521660c05260ff166101405261021b565b805163ffffffff81168114610190575f5ffd5b919050565b5f5f5f5f5f5f60c087890312156101aa575f5ffd5b86516001600160a01b03811681146101c0575f5ffd5b95506101ce6020880161017d565b94506101dc6040880161017d565b93506101ea6060880161017d565b92506101f86080880161017d565b915060a087015160ff8116811461020d575f5ffd5b809150509295509295509295565b60805160a05160c05160e051610100516101205161014051612b8f6102c05f395f81816103b00152611e0c01525f818161031e01526114bb01525f81816102ad0152610cb601525f81816104c701528181610e3d01526119e001525f81816102500152610f7601525f8181610ac601526115aa01525f8181610365015281816108df01528181610b1a01528181610b7d0152818161161a01526116e80152612b8f5ff3fe608060405260043610610178575f3560e01c80635bf31d4d116100d1578063971d852f1161007c578063cc1f0d2d11610057578063cc1f0d2d14610480578063da2e958e146104b6578063fc8edb52146104e9575f5ffd5b8063971d852f1461042f578063ba0179b51461044e578063ca1d209d1461046d575f5ffd5b806377a856fa116100ac57806377a856fa1461039f57806382fd5bac146103e457806386d6282c14610410575f5ffd5b80635bf31d4d1461030d57806361b8ce8c146103405780636cc6cde114610354575f5ffd5b80633d473041116101315780634c974ebd1161010c5780634c974ebd1461029c5780634fb8fa19146102cf57806351cff8d9146102ee575f5ffd5b80633d4730411461021957806343d668dc1461023f5780634a7ebc6e14610287575f5ffd5b8063278ecde111610161578063278ecde1146101bc578063311a6c56146101db5780633bd5d173146101fa575f5ffd5b806308148f7a1461017c5780630ebf1ea41461019d575b5f5ffd5b348015610187575f5ffd5b5061019b610196366004612719565b610514565b005b3480156101a8575f5ffd5b5061019b6101b7366004612730565b61077d565b3480156101c7575f5ffd5b5061019b6101d6366004612719565b610949565b3480156101e6575f5ffd5b5061019b6101f53660046127ae565b610a0e565b348015610205575f5ffd5b5061019b610214366004612719565b610c4b565b61022c6102273660046127e9565b610de6565b6040519081526020015b60405180910390f35b34801561024a575f5ffd5b506102727f000000000000000000000000000000000000000000000000000000000000000081565b60405163ffffffff9091168152602001610236565b348015610292575f5ffd5b5061022c61c35081565b3480156102a7575f5ffd5b506102727f000000000000000000000000000000000000000000000000000000000000000081565b3480156102da575f5ffd5b5061022c6102e9366004612828565b610ebe565b3480156102f9575f5ffd5b5061019b610308366004612879565b610faf565b348015610318575f5ffd5b506102727f000000000000000000000000000000000000000000000000000000000000000081565b34801561034b575f5ffd5b5061022c5f5481565b34801561035f575f5ffd5b506103877f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610236565b3480156103aa575f5ffd5b506103d27f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff9091168152602001610236565b3480156103ef575f5ffd5b506104036103fe366004612719565b61129a565b60405161023691906128ff565b34801561041b575f5ffd5b5061022c61042a366004612719565b6113e6565b34801561043a575f5ffd5b5061019b610449366004612719565b611787565b348015610459575f5ffd5b5061019b610468366004612719565b61187a565b61019b61047b366004612719565b61192e565b34801561048b575f5ffd5b5061022c61049a366004612993565b600360209081525f928352604080842090915290825290205481565b3480156104c1575f5ffd5b506102727f000000000000000000000000000000000000000000000000000000000000000081565b3480156104f4575f5ffd5b5061022c610503366004612719565b60026020525f908152604090205481565b60ff5f5c1615610550576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f61056c8260016005611b4f565b8054909150790100000000000000000000000000000000000000000000000000900460ff1660048160088111156105a5576105a5612899565b036105e95782816040517f0a5889e50000000000000000000000000000000000000000000000000000000081526004016105e09291906129c4565b60405180910390fd5b815474010000000000000000000000000000000000000000900464ffffffffff1642101561066d5781546040517f39c32aeb000000000000000000000000000000000000000000000000000000008152600481018590527401000000000000000000000000000000000000000090910464ffffffffff1660248201526044016105e0565b600181600881111561068157610681612899565b0361070f5781547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1679080000000000000000000000000000000000000000000000000017825560405183907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b9061070290600a9060089033905f906129d8565b60405180910390a261076d565b600281600881111561072357610723612899565b0361073a576107358383600a5f611c62565b61076d565b600381600881111561074e5761074e612899565b03610760576107358383600a5f611d34565b61076d8383600a5f611e00565b505f905060ff19815c16815d5050565b5f61078a85600580611b4f565b80549091506001600160a01b031633148015906107b4575060018101546001600160a01b03163314155b156107f4576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018690523360248201526044016105e0565b821580610802575061080083115b15610869576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600360248201527f757269000000000000000000000000000000000000000000000000000000000060448201526064016105e0565b816108d2576040517fd647364f0000000000000000000000000000000000000000000000000000000081526004016105e09060208082526004908201527f6861736800000000000000000000000000000000000000000000000000000000604082015260600190565b336001600160a01b0316857f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03167f91ce2e92c84bc6f8d8e9bd83c102760780933dfa8463283202cd73bae5b28bd787878760405161093a93929190612a0a565b60405180910390a45050505050565b60ff5f5c1615610985576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f6109a18260026003611b4f565b60018101549091506001600160a01b031633146109f3576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105e0565b610a00828260095f611c62565b505f60ff19815c16815d5050565b60ff5f5c1615610a4a576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d506002811115610ac3576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f72756c696e67000000000000000000000000000000000000000000000000000060448201526064016105e0565b5f7f0000000000000000000000000000000000000000000000000000000000000000610aef5782610afe565b5f838152600260205260409020545b90505f610b0d82600580611b4f565b9050336001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614610b7a576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105e0565b837f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03167f394027a5fa6e098a1191094d1719d6929b9abc535fcc0c8f448d6a4e7562227685604051610bd691815260200190565b60405180910390a3610beb8282600886611e00565b60018303610c3a5760018101546040518581526001600160a01b039091169083907f967f257693f66dc69d17eb4ef3e3a93521771f439810def6ba9cd0be8093a9ad9060200160405180910390a35b505f905060ff19815c16815d505050565b5f610c5882600280611b4f565b60018101549091506001600160a01b03163314610caa576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105e0565b6003610cdc63ffffffff7f00000000000000000000000000000000000000000000000000000000000000001642612a8c565b825464ffffffffff821674010000000000000000000000000000000000000000027fffffffffffffff0000000000ffffffffffffffffffffffffffffffffffffffff821681178555839185917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff90911617790100000000000000000000000000000000000000000000000000836008811115610d9c57610d9c612899565b02179055505050817f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b600380335f604051610dda94939291906129d8565b60405180910390a25050565b5f60ff815c1615610e23576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d50610e61338686868660027f0000000000000000000000000000000000000000000000000000000000000000611e52565b9050807f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b600280335f604051610e9a94939291906129d8565b60405180910390a2610eac84846122fe565b5f60ff19815c16815d50949350505050565b5f60ff815c1615610efb576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d50336001600160a01b03871614801590610f2b5750336001600160a01b03861614155b15610f6a576040517f17668e530000000000000000000000000000000000000000000000000000000081525f60048201523360248201526044016105e0565b610f9a868686868660017f0000000000000000000000000000000000000000000000000000000000000000611e52565b90505f60ff19815c16815d5095945050505050565b60ff5f5c1615610feb576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d506001600160a01b0381165f90815260036020908152604080832033845290915281205490819003611086576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f637265646974000000000000000000000000000000000000000000000000000060448201526064016105e0565b6001600160a01b0382165f8181526003602090815260408083203380855290835281842093909355518481529192917fd1c19fbcd4551a5edfb66d43d2e337c04837afda3482b42bdf569a8fccdae5fb910160405180910390a35f6001600160a01b03831661113c57604051339083905f81818185875af1925050503d805f811461112c576040519150601f19603f3d011682016040523d82523d5f602084013e611131565b606091505b50508091505061124b565b604051336024820152604481018390526060906001600160a01b03851690606401604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529181526020820180517bffffffffffffffffffffffffffffffffffffffffffffffffffffffff167fa9059cbb00000000000000000000000000000000000000000000000000000000179052516111de9190612aa5565b5f604051808303815f865af19150503d805f8114611217576040519150601f19603f3d011682016040523d82523d5f602084013e61121c565b606091505b5090925090508180156112475750805115806112475750808060200190518101906112479190612abb565b9150505b8061076d576040517fbf182be80000000000000000000000000000000000000000000000000000000081526001600160a01b0384166004820152336024820152604481018390526064016105e0565b6040805160e080820183525f8083526020808401829052838501829052606084018290526080840182905260a0840182905260c0840182905285825260018152908490208451928301855280546001600160a01b038116845274010000000000000000000000000000000000000000810464ffffffffff16928401929092529293919291830190790100000000000000000000000000000000000000000000000000900460ff16600881111561135257611352612899565b600881111561136357611363612899565b815281547a010000000000000000000000000000000000000000000000000000900463ffffffff16602082015260018201546001600160a01b038082166040840152740100000000000000000000000000000000000000009091046bffffffffffffffffffffffff16606083015260029092015490911660809091015292915050565b5f60ff815c1615611423576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f61143f8360026003611b4f565b805460018201549192506001600160a01b03908116911633821480159061146f5750336001600160a01b03821614155b156114af576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018690523360248201526044016105e0565b60056114e163ffffffff7f00000000000000000000000000000000000000000000000000000000000000001642612a8c565b845464ffffffffff821674010000000000000000000000000000000000000000027fffffffffffffff0000000000ffffffffffffffffffffffffffffffffffffffff821681178755839187917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff909116177901000000000000000000000000000000000000000000000000008360088111156115a1576115a1612899565b021790555050507f0000000000000000000000000000000000000000000000000000000000000000156116ca578254604080517a01000000000000000000000000000000000000000000000000000090920463ffffffff1660208301526001600160a01b038481169183019190915282811660608301527f0000000000000000000000000000000000000000000000000000000000000000169063c13517e1906002906080016040516020818303038152906040526040518363ffffffff1660e01b8152600401611673929190612ada565b6020604051808303815f875af115801561168f573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906116b39190612b34565b5f81815260026020526040902086905593506116ce565b8493505b604080515f81526020810187905285916001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016917f74baab670a4015ab2f1b467c5252a96141a2573f2908e58a92081e80d3cfde3d910160405180910390a3847f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b60066005338860405161176c94939291906129d8565b60405180910390a2505f91505060ff19815c16815d50919050565b5f61179482600480611b4f565b80549091506001600160a01b031633148015906117be575060018101546001600160a01b03163314155b156117fe576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105e0565b80547fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff1679070000000000000000000000000000000000000000000000000017815560405182907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b90610dda9060059060079033905f906129d8565b60ff5f5c16156118b6576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f6118d28260026003611b4f565b80549091506001600160a01b03163314611921576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105e0565b610a00828260045f611d34565b60ff5f5c161561196a576040517fed3ba6a600000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b60015f805c60ff19168217905d505f61198582600180611b4f565b80549091506001600160a01b031633146119d4576040517f17668e53000000000000000000000000000000000000000000000000000000008152600481018390523360248201526044016105e0565b6002611a0663ffffffff7f00000000000000000000000000000000000000000000000000000000000000001642612a8c565b825464ffffffffff821674010000000000000000000000000000000000000000027fffffffffffffff0000000000ffffffffffffffffffffffffffffffffffffffff821681178555839185917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff90911617790100000000000000000000000000000000000000000000000000836008811115611ac657611ac6612899565b02179055505050817f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b600280335f604051611b0494939291906129d8565b60405180910390a260028101546001820154610a00916001600160a01b0316907401000000000000000000000000000000000000000090046bffffffffffffffffffffffff166122fe565b5f8381526001602052604081208054909179010000000000000000000000000000000000000000000000000090910460ff1690816008811115611b9457611b94612899565b03611bce576040517fc80a970c000000000000000000000000000000000000000000000000000000008152600481018690526024016105e0565b836008811115611be057611be0612899565b816008811115611bf257611bf2612899565b1080611c1f5750826008811115611c0b57611c0b612899565b816008811115611c1d57611c1d612899565b115b15611c5a5784816040517f0a5889e50000000000000000000000000000000000000000000000000000000081526004016105e09291906129c4565b509392505050565b82547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1679060000000000000000000000000000000000000000000000000017835560405184907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b90611cdd908590600690339087906129d8565b60405180910390a2600283015483546001850154611d2e926001600160a01b039081169216907401000000000000000000000000000000000000000090046bffffffffffffffffffffffff16612545565b50505050565b82547fffffffffffff000000000000ffffffffffffffffffffffffffffffffffffffff1679040000000000000000000000000000000000000000000000000017835560405184907f0fa0c0e6632d0086e168a4d0da3523648c7ac25e91eacc0b9949d2bddba4049b90611daf908590600490339087906129d8565b60405180910390a260028301546001840154611d2e916001600160a01b0390811691908116907401000000000000000000000000000000000000000090046bffffffffffffffffffffffff16612545565b805f03611e2d575060ff7f0000000000000000000000000000000000000000000000000000000000000000165b60028103611e4657611e4184848484611d34565b611d2e565b611d2e84848484611c62565b5f6001600160a01b038816611ec3576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f627579657200000000000000000000000000000000000000000000000000000060448201526064016105e0565b6001600160a01b0387161580611eea5750876001600160a01b0316876001600160a01b0316145b15611f51576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f73656c6c6572000000000000000000000000000000000000000000000000000060448201526064016105e0565b841580611f6957506bffffffffffffffffffffffff85115b15611fd0576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600660248201527f616d6f756e74000000000000000000000000000000000000000000000000000060448201526064016105e0565b63ffffffff84111561203e576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f67726f757000000000000000000000000000000000000000000000000000000060448201526064016105e0565b6001600160a01b0386161580159061205e57506001600160a01b0386163b155b156120c5576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f746f6b656e00000000000000000000000000000000000000000000000000000060448201526064016105e0565b5f805490806120d383612b4b565b909155505f818152600160205260409020909150886120f863ffffffff851642612a8c565b825463ffffffff88167a010000000000000000000000000000000000000000000000000000027fffff00000000ffffffffffffffffffffffffffffffffffffffffffffffffffff8216811785558791899186915f918391601491879184917fffffffffffff00ffffffffffffffffffffffffffffffffffffffffffffffffff167fffff0000000000ffffffffffffffffffffffffffffffffffffffffffffffffff909116177901000000000000000000000000000000000000000000000000008360088111156121ca576121ca612899565b0217905550815461010091820a64ffffffffff8181021990921698909116029690961790558154940a6001600160a01b03818102199095169585160294909417909355507fffffffffffffffffffffffff0000000000000000000000000000000000000000740100000000000000000000000000000000000000006bffffffffffffffffffffffff8a1602168a8216176001840155881615905061229e576002810180547fffffffffffffffffffffffff0000000000000000000000000000000000000000166001600160a01b0389161790555b604080516001600160a01b03898116825260208201899052918101879052818a16918b169084907fd620475179110da1a113274d8057d24648763a447fb13997f510878e1827878c9060600160405180910390a450979650505050505050565b6001600160a01b03821661237957803414612375576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f76616c756500000000000000000000000000000000000000000000000000000060448201526064016105e0565b5050565b34156123e1576040517fd647364f00000000000000000000000000000000000000000000000000000000815260206004820152600560248201527f76616c756500000000000000000000000000000000000000000000000000000060448201526064016105e0565b604051336024820152306044820152606481018290525f9081906001600160a01b03851690608401604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529181526020820180517bffffffffffffffffffffffffffffffffffffffffffffffffffffffff167f23b872dd000000000000000000000000000000000000000000000000000000001790525161248a9190612aa5565b5f604051808303815f865af19150503d805f81146124c3576040519150601f19603f3d011682016040523d82523d5f602084013e6124c8565b606091505b50915091508115806124f657508051158015906124f65750808060200190518101906124f49190612abb565b155b15611d2e576040517fbf182be80000000000000000000000000000000000000000000000000000000081526001600160a01b0385166004820152336024820152604481018490526064016105e0565b5f6001600160a01b038416612565575f5f5f5f858761c350f19050612684565b6040516001600160a01b0384811660248301526044820184905260609190861690606401604080517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08184030181529181526020820180517bffffffffffffffffffffffffffffffffffffffffffffffffffffffff167fa9059cbb000000000000000000000000000000000000000000000000000000001790525161260a9190612aa5565b5f604051808303815f865af19150503d805f8114612643576040519150601f19603f3d011682016040523d82523d5f602084013e612648565b606091505b509092509050818015612680575080511580612680575060208151101580156126805750808060200190518101906126809190612abb565b9150505b80611d2e576001600160a01b038085165f908152600360209081526040808320938716835292905290812080548492906126bf908490612a8c565b92505081905550826001600160a01b0316846001600160a01b03167f4e45da441832cf53bdaa69235704fc0575e68210f459ee1562911024b12967d58460405161270b91815260200190565b60405180910390a350505050565b5f60208284031215612729575f5ffd5b5035919050565b5f5f5f5f60608587031215612743575f5ffd5b84359350602085013567ffffffffffffffff811115612760575f5ffd5b8501601f81018713612770575f5ffd5b803567ffffffffffffffff811115612786575f5ffd5b876020828401011115612797575f5ffd5b949760209190910196509394604001359392505050565b5f5f604083850312156127bf575f5ffd5b50508035926020909101359150565b80356001600160a01b03811681146127e4575f5ffd5b919050565b5f5f5f5f608085870312156127fc575f5ffd5b612805856127ce565b9350612813602086016127ce565b93969395505050506040820135916060013590565b5f5f5f5f5f60a0868803121561283c575f5ffd5b612845866127ce565b9450612853602087016127ce565b9350612861604087016127ce565b94979396509394606081013594506080013592915050565b5f60208284031215612889575f5ffd5b612892826127ce565b9392505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b600981106128fb577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b9052565b5f60e0820190506001600160a01b03835116825264ffffffffff6020840151166020830152604083015161293660408401826128c6565b5063ffffffff60608401511660608301526001600160a01b0360808401511660808301526bffffffffffffffffffffffff60a08401511660a083015260c083015161298c60c08401826001600160a01b03169052565b5092915050565b5f5f604083850312156129a4575f5ffd5b6129ad836127ce565b91506129bb602084016127ce565b90509250929050565b8281526040810161289260208301846128c6565b60ff85168152608081016129ef60208301866128c6565b6001600160a01b039390931660408201526060015292915050565b60408152826040820152828460608301375f606084830101525f60607fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f8601168301019050826020830152949350505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b80820180821115612a9f57612a9f612a5f565b92915050565b5f82518060208501845e5f920191825250919050565b5f60208284031215612acb575f5ffd5b81518015158114612892575f5ffd5b828152604060208201525f82518060408401528060208501606085015e5f6060828501015260607fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f8301168401019150509392505050565b5f60208284031215612b44575f5ffd5b5051919050565b5f7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8203612b7b57612b7b612a5f565b506001019056fea164736f6c6343000825000a",
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
// Solidity: event DealCreated(uint256 indexed id, address indexed buyer, address indexed seller, address token, uint256 amount, uint256 group)
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
