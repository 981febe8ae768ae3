package listing

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const (
	testContract = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
	testToken    = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"
)

func evmEscrow() Escrow {
	return Escrow{Kind: EscrowEVM, ChainID: 1337, Contract: testContract, Token: testToken, Decimals: 6}
}

func TestEVMEscrowRoundTrip(t *testing.T) {
	l := base()
	native := Escrow{Kind: EscrowEVM, ChainID: 137, Contract: testContract, Token: NativeToken, Decimals: 18}
	l.Escrows = []Escrow{{Kind: EscrowLedger, Agent: "https://coop.example/agent"}, evmEscrow(), native}
	if err := Validate(l); err != nil {
		t.Fatal(err)
	}
	b, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`{"type":"EVMEscrow","chainId":1337,"escrowContract":"`+testContract+`","token":"`+testToken+`","tokenDecimals":6}`)) {
		t.Fatalf("the wire form lacks the EVM escrow: %s", b)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Escrows) != 3 || got.Escrows[1].Ref() != evmEscrow().Ref() || got.Escrows[2].Token != NativeToken {
		t.Fatalf("decoded escrows %+v", got.Escrows)
	}
	ref := "eip155:1337:" + strings.ToLower(testContract) + "/erc20:" + strings.ToLower(testToken)
	if evmEscrow().Ref() != ref || !got.AcceptsEscrow(ref) || !IsEscrowRef(ref) {
		t.Errorf("Ref = %s, want %s accepted", evmEscrow().Ref(), ref)
	}
	if nref := native.Ref(); nref != "eip155:137:"+strings.ToLower(testContract)+"/native" || !got.AcceptsEscrow(nref) {
		t.Errorf("native Ref = %s", nref)
	}
	if !got.AcceptsEscrow(strings.ToUpper(ref[:6]) + ref[6:]) {
		t.Error("an EVM escrow named in upper case is not found")
	}
	for _, bad := range []string{"eip155:1337:" + testContract + "/erc20:0x" + strings.Repeat("1", 40), "eip155:0:0x" + strings.Repeat("a", 40) + "/native", "ftp://x", ""} {
		if got.AcceptsEscrow(bad) {
			t.Errorf("%q passed as an escrow ref", bad)
		}
	}
	// 200.00 USD is 20000 cents, 200 000 000 base units of a 6-decimal token.
	if a, err := evmEscrow().BaseUnits("20000", "USD"); err != nil || a.String() != "200000000" {
		t.Errorf("BaseUnits = %v, %v", a, err)
	}
	if _, err := (Escrow{Kind: EscrowEVM, Decimals: 0}).BaseUnits("20000", "USD"); err == nil {
		t.Error("a token with fewer decimals than the currency converted")
	}
}

func TestEVMEscrowBounded(t *testing.T) {
	for name, change := range map[string]func(e *Escrow){
		"chain id zero":      func(e *Escrow) { e.ChainID = 0 },
		"chain id too large": func(e *Escrow) { e.ChainID = MaxChainID + 1 },
		"contract not hex":   func(e *Escrow) { e.Contract = "0xZZ" },
		"contract zero":      func(e *Escrow) { e.Contract = "0x" + strings.Repeat("0", 40) },
		"token missing":      func(e *Escrow) { e.Token = "" },
		"token not address":  func(e *Escrow) { e.Token = "usdc" },
		"decimals too many":  func(e *Escrow) { e.Decimals = MaxTokenDecimals + 1 },
		"fewer than the USD": func(e *Escrow) { e.Decimals = 1 },
	} {
		l := base()
		e := evmEscrow()
		change(&e)
		l.Escrows = []Escrow{e}
		if err := Validate(l); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "escrows[0].") {
			t.Errorf("%s: Validate = %v, want an escrows[0] error", name, err)
		}
	}
	l := base()
	b, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	with := func(v string) []byte {
		return bytes.Replace(b, []byte(`"status":`), []byte(`"acceptsEscrow":`+v+`,"status":`), 1)
	}
	for _, bad := range []string{
		`{"type":"EVMEscrow","chainId":-1,"escrowContract":"` + testContract + `","token":"native","tokenDecimals":18}`,
		`{"type":"EVMEscrow","chainId":1e99,"escrowContract":"` + testContract + `","token":"native","tokenDecimals":18}`,
		`{"type":"EVMEscrow","chainId":1,"escrowContract":"<script>","token":"native","tokenDecimals":18}`,
		`{"type":"EVMEscrow","chainId":1,"escrowContract":"` + testContract + `","token":"native","tokenDecimals":99}`,
	} {
		if _, err := Decode(with(bad)); err == nil || !strings.Contains(err.Error(), "acceptsEscrow[0].") {
			t.Errorf("Decode(%s) = %v, want an acceptsEscrow[0] error", bad, err)
		}
	}
}
