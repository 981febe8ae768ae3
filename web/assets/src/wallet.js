// Funding an EVM deal from the owner's browser wallet, with ethers.js over
// the wallet's EIP-1193 provider (window.ethereum).
//
// The page holds one block per deal to fund: an element with
// data-wallet-fund holding a <script type="application/json"
// data-wallet-params> (web.WalletFunding, rendered by the wallet-fund
// partial). The flow, each step shown on the page in plain words:
//
//  1. "Pay with my wallet": ask for the account (eth_requestAccounts), check
//     it is the deal's buyer, switch the wallet to the deal's chain
//     (wallet_switchEthereumChain, wallet_addEthereumChain when the wallet
//     does not know it), read the deal on chain and check it is what the
//     page shows (amount, token, buyer, still waiting for the money), and
//     check the account holds enough;
//  2. show what will be signed (contract address, amount, how many
//     transactions) and wait for "Confirm";
//  3. for an ERC-20 token, approve the escrow contract for the amount if its
//     allowance is short, and wait for it to be mined; then call the
//     contract's fund (or createAndFund) and wait for its confirmation;
//  4. tell the hub the transaction hash (a form POST with the session's
//     CSRF token); the hub also sees the funding from the chain's events.
//
// The page never talks to a chain itself: every request goes through the
// wallet, so the page's CSP (connect-src 'self') holds. No HTML is ever
// written from a string: only elements, attributes and text.
//
// Of ethers only the ABI coder (Interface), units and addresses are used:
// the requests go to the EIP-1193 provider as they are, and the bundle is
// 81 KB (26 KB gzipped). ethers' BrowserProvider and Contract would make
// it 285 KB (105 KB gzipped: ENS normalisation, transaction signing, the
// polling machinery) for nothing this page needs.
import { Interface, formatUnits, getAddress, isAddress, toQuantity } from "ethers";

// The parts of escrow/contracts/Escrow.sol this page calls or decodes.
const escrowABI = new Interface([
  "function fund(uint256 id) payable",
  "function createAndFund(address seller, address token, uint256 amount, uint256 group) payable returns (uint256 id)",
  "function getDeal(uint256 id) view returns (tuple(address buyer, uint40 deadline, uint8 status, uint32 group, address seller, uint96 amount, address token))",
  "event DealCreated(uint256 indexed id, address indexed buyer, address indexed seller, address token, uint256 amount, uint256 group, uint8 status)",
  "error NotFound(uint256 id)",
  "error InvalidState(uint256 id, uint8 status)",
  "error Forbidden(uint256 id, address caller)",
  "error NotDue(uint256 id, uint256 deadline)",
  "error InvalidInput(string field)",
  "error Reentrant()",
  "error TransferFailed(address token, address to, uint256 amount)",
]);
const erc20ABI = new Interface([
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function balanceOf(address who) view returns (uint256)",
]);
// The contract's Status enum, in order.
const statuses = ["not found", "created", "funded", "delivered", "confirmed", "disputed", "refunded", "completed", "expired"];
const maxUint96 = (1n << 96n) - 1n;

// Plain is an error whose message is already in the user's words.
class Plain extends Error {}

for (const root of document.querySelectorAll("[data-wallet-fund]")) {
  setup(root);
}

function setup(root) {
  const $ = (sel) => root.querySelector(sel);
  const ui = {
    start: $("[data-wallet-start]"),
    actions: $("[data-wallet-actions]"),
    confirmBox: $("[data-wallet-confirm-box]"),
    confirmText: $("[data-wallet-confirm-text]"),
    confirm: $("[data-wallet-confirm]"),
    cancel: $("[data-wallet-cancel]"),
    steps: $("[data-wallet-steps]"),
    status: $("[data-wallet-status]"),
  };
  const say = (text, ok) => {
    ui.status.textContent = text;
    ui.status.className = ok ? "notice ok" : "notice";
    ui.status.hidden = false;
  };
  let p;
  try {
    p = params(JSON.parse($("script[data-wallet-params]").textContent));
  } catch (e) {
    say("This page's payment details cannot be used: " + (e instanceof Plain ? e.message : "they are not valid JSON") + ".", false);
    return;
  }
  // Show what will be paid, from the very values that will be signed.
  for (const el of root.querySelectorAll("[data-wallet-show]")) {
    const v = { amount: p.amountText, contract: p.contract, chain: p.chainText, buyer: p.buyer }[el.dataset.walletShow];
    if (v !== undefined) el.textContent = v;
  }
  ui.actions.hidden = false;
  const eth = window.ethereum;
  if (!eth || typeof eth.request !== "function") {
    ui.start.disabled = true;
    say("No browser wallet was found. Install or unlock an Ethereum wallet in this browser and reload the page, or fund the deal with the market command instead.", false);
    return;
  }
  let busy = false;
  ui.start.addEventListener("click", async () => {
    if (busy) return;
    busy = true;
    ui.start.disabled = true;
    ui.status.hidden = true;
    ui.steps.replaceChildren();
    try {
      const plan = await prepare(eth, p, (label) => step(ui.steps, label));
      ui.confirmText.textContent = plan.summary;
      ui.confirmBox.hidden = false;
      ui.confirm.focus();
      const go = await new Promise((resolve) => {
        ui.confirm.onclick = () => resolve(true);
        ui.cancel.onclick = () => resolve(false);
      });
      ui.confirmBox.hidden = true;
      if (!go) {
        say("Cancelled: nothing was signed and nothing was paid.", false);
        return;
      }
      const result = await pay(plan, p, (label) => step(ui.steps, label));
      ui.actions.hidden = true;
      say(result, true);
      if (p.nextURL) location.assign(p.nextURL);
    } catch (e) {
      say(explain(e, p), false);
    } finally {
      busy = false;
      ui.start.disabled = false;
    }
  });
}

// params checks the page's funding parameters and turns them into the
// values the flow uses. The hub made them, but a wallet must never be
// asked to sign from values that do not add up.
function params(raw) {
  if (!raw || typeof raw !== "object") throw new Plain("they are missing");
  const str = (k, max) => {
    const v = raw[k];
    if (v === undefined || v === null || v === "") return "";
    if (typeof v !== "string" || [...v].length > max) throw new Plain(k + " must be a text of at most " + max + " characters");
    return v;
  };
  const addr = (k) => {
    const v = str(k, 42);
    if (!isAddress(v) || /^0x0{40}$/i.test(v)) throw new Plain(k + " must be a 0x address");
    return getAddress(v);
  };
  const uint = (k, max) => {
    const v = raw[k] === undefined ? 0 : raw[k];
    if (!Number.isSafeInteger(v) || v < 0 || v > max) throw new Plain(k + " must be a whole number from 0 to " + max);
    return v;
  };
  const p = {
    chainID: uint("chain_id", Number.MAX_SAFE_INTEGER),
    chainName: str("chain_name", 100) || "chain " + raw.chain_id,
    rpcURL: str("rpc_url", 500),
    explorerURL: str("explorer_url", 500),
    nativeSymbol: str("native_symbol", 12) || "ETH",
    contract: addr("contract"),
    buyer: addr("buyer"),
    decimals: uint("decimals", 36),
    symbol: str("symbol", 12),
    price: str("price", 200),
    fn: str("function", 20),
    reportURL: str("report_url", 500),
    csrf: str("csrf", 200),
    nextURL: str("next_url", 500),
    confirmations: uint("confirmations", 64) || 1,
  };
  if (p.chainID === 0) throw new Plain("chain_id must not be 0");
  const token = str("token", 42);
  p.native = token === "native";
  p.token = p.native ? "0x0000000000000000000000000000000000000000" : addr("token");
  if (!/^[1-9][0-9]{0,28}$/.test(str("amount", 29))) throw new Plain("amount must be a positive whole number of base units");
  p.amount = BigInt(raw.amount);
  if (p.amount > maxUint96) throw new Plain("amount exceeds what the escrow contract holds per deal");
  if (p.native && p.decimals !== 18) throw new Plain("decimals must be 18 for the chain's coin");
  if (p.native) p.symbol = p.symbol || p.nativeSymbol;
  if (!p.symbol) throw new Plain("symbol is needed for token " + p.token);
  p.amountText = units(p.amount, p.decimals) + " " + p.symbol;
  p.chainText = raw.chain_name ? p.chainName + " (chain id " + p.chainID + ")" : "chain id " + p.chainID;
  if (p.fn === "fund") {
    p.dealID = uint("deal_id", Number.MAX_SAFE_INTEGER);
    if (p.dealID === 0) throw new Plain("deal_id must not be 0");
  } else if (p.fn === "createAndFund") {
    p.seller = addr("seller");
    p.group = uint("group", 2 ** 32 - 1);
    if (p.seller === p.buyer) throw new Plain("seller must not be the buyer");
    // The agreement's reference rides after createAndFund's arguments
    // (the contract ignores it), so that both hubs tell the on-chain
    // deal is theirs.
    p.ref = str("ref", 66);
    if (p.ref && !/^0x[0-9a-fA-F]{64}$/.test(p.ref)) throw new Plain("ref must be 0x and 64 hex digits");
  } else {
    throw new Plain('function must be "fund" or "createAndFund"');
  }
  if (p.fn !== "createAndFund" && raw.ref) throw new Plain("ref goes only with createAndFund");
  for (const k of ["reportURL", "nextURL"]) {
    // Same-site paths only: the hub's own handlers.
    if (p[k] && !/^\/(?!\/)[^\\\s]*$/.test(p[k])) throw new Plain(k === "reportURL" ? "report_url must be a path on this site" : "next_url must be a path on this site");
  }
  if (p.reportURL && !p.csrf) throw new Plain("csrf is needed with report_url");
  return p;
}

// units is an amount of base units in whole units: 200000000 with 6
// decimals is "200", 1500000000000000000 with 18 is "1.5".
function units(v, decimals) {
  const s = formatUnits(v, decimals);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

function short(a) {
  return a.slice(0, 6) + "…" + a.slice(-4);
}

// step adds a line to the steps list and returns what changes it.
function step(list, label) {
  const li = document.createElement("li");
  const name = document.createElement("span");
  name.className = "step-name";
  name.textContent = label;
  const state = document.createElement("span");
  state.className = "step-state";
  li.append(name, ": ", state);
  list.append(li);
  const set = (s, text) => {
    li.dataset.state = s;
    state.textContent = text;
  };
  set("doing", "working…");
  return {
    doing: (text) => set("doing", text),
    done: (text) => set("done", text),
    fail: (text) => set("failed", text),
  };
}

// run wraps one step: a failure marks it failed and goes on up, to be
// said in words in the block's status.
async function run(s, p, f) {
  try {
    return await f();
  } catch (e) {
    s.fail("stopped, see below");
    throw e;
  }
}

// Chain is the wallet's EIP-1193 provider as this page uses it: calls and
// transactions encoded with ethers' ABI coder, errors kept with their
// EIP-1193 code and revert data.
class Chain {
  constructor(eth, chainID) {
    this.eth = eth;
    this.chainID = chainID;
  }
  request(method, params) {
    return this.eth.request(params === undefined ? { method } : { method, params });
  }
  // call runs a view function of contract iface at to.
  async call(iface, to, fn, args) {
    const out = await this.request("eth_call", [{ to, data: iface.encodeFunctionData(fn, args) }, "latest"]);
    return iface.decodeFunctionResult(fn, out);
  }
  async balance(account) {
    return BigInt(await this.request("eth_getBalance", [account, "latest"]));
  }
  // send asks the wallet to sign and send a transaction, after estimating
  // it, so that a call the contract would refuse fails here, in words,
  // before the wallet asks for a signature.
  //
  // The wallet must still be on the deal's chain: the user may have
  // switched it since, and the same call sent to another chain could pay
  // an address that holds no escrow there. The transaction names its
  // chain too (chainId), which wallets check.
  async send(from, iface, to, fn, args, value, suffix) {
    const on = BigInt(await this.request("eth_chainId"));
    if (on !== BigInt(this.chainID)) {
      throw new Plain("Your wallet moved to chain " + on + " (wrong chain), so nothing was sent. Switch it back and try again.");
    }
    const tx = { from, to, data: iface.encodeFunctionData(fn, args) + (suffix ? suffix.slice(2).toLowerCase() : ""), chainId: toQuantity(this.chainID) };
    if (value) tx.value = toQuantity(value);
    await this.request("eth_estimateGas", [tx]);
    return await this.request("eth_sendTransaction", [tx]);
  }
  // mined waits until transaction hash has the confirmations asked for and
  // returns its receipt; it fails unless the transaction ran.
  async mined(hash, confirmations) {
    const until = Date.now() + 15 * 60 * 1000;
    for (let i = 0; ; i++) {
      const rc = await this.request("eth_getTransactionReceipt", [hash]);
      if (rc && rc.blockNumber) {
        if (BigInt(rc.status) !== 1n) throw new Plain("The transaction " + hash + " failed on chain; nothing was paid by it.");
        const head = confirmations > 1 ? BigInt(await this.request("eth_blockNumber")) : BigInt(rc.blockNumber);
        if (head - BigInt(rc.blockNumber) + 1n >= BigInt(confirmations)) return rc;
      }
      if (Date.now() > until) {
        throw new Plain("The transaction " + hash + " is not confirmed after 15 minutes. Your hub will see it once it is mined; reload this page later.");
      }
      await new Promise((r) => setTimeout(r, i < 20 ? 300 : 2000));
    }
  }
}

// prepare connects the wallet, switches its chain and reads what paying
// will take, signing nothing.
async function prepare(eth, p, newStep) {
  const chain = new Chain(eth, p.chainID);
  let s = newStep("Connect your wallet");
  const account = await run(s, p, async () => {
    s.doing("waiting for your wallet to share an account…");
    const accounts = await chain.request("eth_requestAccounts");
    if (!Array.isArray(accounts) || accounts.length === 0) throw new Plain("Your wallet shared no account. Unlock it and try again.");
    const a = accounts.find((x) => typeof x === "string" && isAddress(x) && getAddress(x) === p.buyer);
    if (!a) {
      throw new Plain("Your wallet's account " + String(accounts[0]).slice(0, 42) + " is not this deal's buyer " + p.buyer +
        ". Choose that account in your wallet and try again.");
    }
    return getAddress(a);
  });
  s.done("account " + account);

  s = newStep("Use " + p.chainText);
  await run(s, p, () => switchChain(eth, p, s));

  s = newStep("Check the deal and your balance");
  const plan = await run(s, p, async () => {
    if ((await chain.request("eth_getCode", [p.contract, "latest"])) === "0x") {
      throw new Plain("There is no escrow contract at " + p.contract + " on " + p.chainText + ". Nothing was paid.");
    }
    if (p.fn === "fund") {
      const [d] = await chain.call(escrowABI, p.contract, "getDeal", [p.dealID]);
      const status = Number(d.status);
      if (status === 0) throw new Plain("The escrow contract has no deal #" + p.dealID + ". Nothing was paid.");
      if (status !== 1) throw new Plain("Deal #" + p.dealID + " is already " + (statuses[status] || "in another state") + " on chain, not waiting for money. Nothing was paid.");
      if (getAddress(d.buyer) !== p.buyer || d.amount !== p.amount || getAddress(d.token) !== p.token) {
        throw new Plain("Deal #" + p.dealID + " on chain is for " + units(d.amount, p.decimals) + " from " + getAddress(d.buyer) +
          ", not what this page shows. Nothing was paid; ask your hub's operator.");
      }
    }
    const coin = await chain.balance(account);
    let approve = false;
    if (p.native) {
      if (coin < p.amount) throw new Plain("Your account holds " + units(coin, 18) + " " + p.nativeSymbol + ", less than the " + p.amountText + " to pay (insufficient funds). Nothing was paid.");
    } else {
      const [bal] = await chain.call(erc20ABI, p.token, "balanceOf", [account]);
      if (bal < p.amount) throw new Plain("Your account holds " + units(bal, p.decimals) + " " + p.symbol + ", less than the " + p.amountText + " to pay (insufficient funds). Nothing was paid.");
      const [allowed] = await chain.call(erc20ABI, p.token, "allowance", [account, p.contract]);
      approve = allowed < p.amount;
    }
    if (coin === 0n) throw new Plain("Your account holds no " + p.nativeSymbol + " to pay the network fee (insufficient funds). Nothing was paid.");
    return { chain, account, approve };
  });
  s.done(plan.approve ? "ready: the token needs your approval first" : "ready");

  const what = p.fn === "fund" ? "deal #" + p.dealID : "a new deal with seller " + p.seller;
  plan.summary = "You are about to pay " + p.amountText + (p.price ? " (" + p.price + ")" : "") + " from " + account +
    " into the escrow contract " + p.contract + " on " + p.chainText + ", for " + what + ". " +
    "Your wallet will ask you to sign " + (plan.approve ? "two transactions: first allowing the contract to take " + p.amountText + " of token " + p.token + ", then the payment." : "one transaction.") +
    " The network fee is paid in " + p.nativeSymbol + ".";
  return plan;
}

// switchChain makes the wallet use the deal's chain, adding it to the
// wallet when the wallet does not know it (error 4902).
async function switchChain(eth, p, s) {
  const want = "0x" + p.chainID.toString(16);
  const current = async () => BigInt(await eth.request({ method: "eth_chainId" }));
  let have = await current();
  if (have === BigInt(p.chainID)) {
    s.done("your wallet is on it");
    return;
  }
  s.doing("your wallet is on chain " + have + "; asking it to switch…");
  try {
    await eth.request({ method: "wallet_switchEthereumChain", params: [{ chainId: want }] });
  } catch (e) {
    if (code(e) === 4902) {
      if (!p.rpcURL) throw new Plain("Your wallet does not know " + p.chainText + ". Add that network to your wallet, then try again.");
      s.doing("your wallet does not know this network; asking it to add it…");
      const chain = { chainId: want, chainName: p.chainName, rpcUrls: [p.rpcURL], nativeCurrency: { name: p.nativeSymbol, symbol: p.nativeSymbol, decimals: 18 } };
      if (p.explorerURL) chain.blockExplorerUrls = [p.explorerURL];
      await eth.request({ method: "wallet_addEthereumChain", params: [chain] });
      if ((await current()) !== BigInt(p.chainID)) {
        await eth.request({ method: "wallet_switchEthereumChain", params: [{ chainId: want }] });
      }
    } else if (code(e) === 4001) {
      throw new Plain("You declined to switch your wallet to " + p.chainText + " (wrong chain); the deal is on that network, so nothing was paid.");
    } else {
      throw e;
    }
  }
  have = await current();
  if (have !== BigInt(p.chainID)) {
    throw new Plain("Your wallet is still on chain " + have + ", not " + p.chainText + " (wrong chain). Switch it in your wallet and try again. Nothing was paid.");
  }
  s.done("switched");
}

// pay sends the approval (if needed) and the funding, waiting for each,
// then tells the hub. It returns the closing message.
async function pay(plan, p, newStep) {
  const { chain, account } = plan;
  if (plan.approve) {
    const s = newStep("Allow the escrow contract to take " + p.amountText);
    await run(s, p, async () => {
      s.doing("waiting for your signature in the wallet…");
      const hash = await chain.send(account, erc20ABI, p.token, "approve", [p.contract, p.amount]);
      s.doing("sent as " + short(hash) + ", waiting for the chain to confirm it…");
      await chain.mined(hash, p.confirmations);
    });
    s.done("confirmed");
  }
  const s = newStep("Pay " + p.amountText + " into escrow");
  const { hash, dealID } = await run(s, p, async () => {
    s.doing("waiting for your signature in the wallet…");
    const value = p.native ? p.amount : 0n;
    const hash = p.fn === "fund"
      ? await chain.send(account, escrowABI, p.contract, "fund", [p.dealID], value)
      : await chain.send(account, escrowABI, p.contract, "createAndFund", [p.seller, p.token, p.amount, p.group], value, p.ref);
    s.doing("sent as " + short(hash) + ", waiting for the chain to confirm it…");
    const rc = await chain.mined(hash, p.confirmations);
    let id = p.dealID;
    for (const log of rc.logs || []) {
      if (!isAddress(log.address) || getAddress(log.address) !== p.contract) continue;
      const ev = escrowABI.parseLog({ topics: log.topics, data: log.data });
      if (ev && ev.name === "DealCreated") id = Number(ev.args.id);
    }
    return { hash, dealID: id };
  });
  s.done("confirmed in transaction " + hash);
  let done = "Paid: " + p.amountText + " is held by the escrow contract for deal #" + dealID + " (transaction " + hash + ").";
  if (p.reportURL) {
    const r = newStep("Tell your hub");
    try {
      const body = new URLSearchParams({ csrf: p.csrf, tx: hash, deal: String(dealID), chain_id: String(p.chainID) });
      const resp = await fetch(p.reportURL, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!resp.ok) throw new Plain("your hub answered " + resp.status);
      r.done("done");
    } catch (e) {
      r.fail((e instanceof Plain ? e.message : "your hub could not be reached") + "; it will still see the payment on chain");
      done += " Your hub will show it once it reads the chain.";
    }
  }
  return done;
}

// code is an EIP-1193 error's code, wherever the wallet put it.
function code(e) {
  for (let x = e, i = 0; x && i < 4; i++) {
    if (typeof x.code === "number") return x.code;
    x = x.error || (x.data && x.data.originalError);
  }
  return undefined;
}

// revertData is the contract's revert data in an EIP-1193 error: a hex
// string in data, or in data.data, or in data.originalError.data.
function revertData(e) {
  for (let x = e && e.data, i = 0; x && i < 4; i++) {
    if (typeof x === "string") return /^0x[0-9a-fA-F]{8,}$/.test(x) ? x : undefined;
    x = x.data || x.originalError;
  }
  return undefined;
}

// explain says what went wrong in the user's words.
function explain(e, p) {
  if (e instanceof Plain) return e.message;
  const c = code(e);
  if (c === 4001) return "You declined in your wallet, so nothing was paid.";
  if (c === -32002) return "Your wallet already has a request waiting: open your wallet and answer it, then try again.";
  if (c === 4100) return "Your wallet did not let this page use the account: unlock or connect it, then try again.";
  if (c === 4900 || c === 4901) return "Your wallet is not connected to " + p.chainText + ". Connect it and try again.";
  const msg = String((e && e.message) || e).slice(0, 300);
  if (/insufficient funds/i.test(msg)) return "Your account does not hold enough to pay " + p.amountText + " and the network fee (insufficient funds). Nothing was paid.";
  const data = revertData(e);
  let err = null;
  if (data) {
    try {
      err = escrowABI.parseError(data);
    } catch (_) {
      err = null;
    }
  }
  if (err) {
    const a = err.args;
    switch (err.name) {
      case "InvalidState": return "The escrow contract refused: deal #" + a[0] + " is " + (statuses[Number(a[1])] || "in another state") + ", not waiting for money. Nothing was paid.";
      case "Forbidden": return "The escrow contract refused: " + a[1] + " is not this deal's buyer. Nothing was paid.";
      case "NotFound": return "The escrow contract has no deal #" + a[0] + ". Nothing was paid.";
      case "TransferFailed": return "The escrow contract could not take the tokens: check your balance and the allowance. Nothing was paid.";
      case "InvalidInput": return "The escrow contract refused the deal's " + a[0] + ". Nothing was paid.";
    }
  }
  return "The payment did not go through: " + msg + (/[.!?]$/.test(msg) ? "" : ".");
}
