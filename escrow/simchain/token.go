package simchain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/sovereign-marketplace/market/escrow/internal/testcontracts"
)

// TokenDecimals are the decimals of the test token (as USDC's).
const TokenDecimals = 6

// DeployTestToken deploys the test ERC-20 (contracts/test/TestToken.sol:
// anyone may mint) with key paying, and returns its address.
func (c *Chain) DeployTestToken(ctx context.Context, key *ecdsa.PrivateKey) (common.Address, error) {
	auth := bind.NewKeyedTransactor(key, big.NewInt(1337))
	auth.Context = ctx
	addr, tx, err := bind.DeployContract(auth, common.FromHex(testcontracts.TestTokenMetaData.Bin), c.Client(), nil)
	if err != nil {
		return common.Address{}, fmt.Errorf("deploy the test token: %w", err)
	}
	return addr, c.mined(ctx, tx)
}

// MintTestToken mints amount of the test token at token to to, key
// paying the gas.
func (c *Chain) MintTestToken(ctx context.Context, key *ecdsa.PrivateKey, token, to common.Address, amount *big.Int) error {
	auth := bind.NewKeyedTransactor(key, big.NewInt(1337))
	auth.Context = ctx
	tx, err := bind.NewBoundContract(token, testcontracts.NewTestToken().GetABI(), c.Client(), c.Client(), c.Client()).
		RawTransact(auth, testcontracts.NewTestToken().PackMint(to, amount))
	if err != nil {
		return fmt.Errorf("mint the test token: %w", err)
	}
	return c.mined(ctx, tx)
}

// TokenBalance is who's balance of the ERC-20 token at token.
func (c *Chain) TokenBalance(ctx context.Context, token, who common.Address) (*big.Int, error) {
	tt := testcontracts.NewTestToken()
	out, err := c.Client().CallContract(ctx, ethereum.CallMsg{To: &token, Data: tt.PackBalanceOf(who)}, nil)
	if err != nil {
		return nil, fmt.Errorf("read the token balance of %s: %w", who.Hex(), err)
	}
	return tt.UnpackBalanceOf(out)
}

func (c *Chain) mined(ctx context.Context, tx *types.Transaction) error {
	c.Mine()
	rc, err := bind.WaitMined(ctx, c.Client(), tx.Hash())
	if err != nil {
		return err
	}
	if rc.Status != types.ReceiptStatusSuccessful {
		return fmt.Errorf("transaction %s failed", tx.Hash())
	}
	return nil
}
