// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @title Arbitrator, shaped like ERC-792's IArbitrator (the parts escrow uses).
interface IArbitrator {
    /// @notice Opens a case; returns the arbitrator's dispute id.
    /// @param choices How many rulings besides 0 ("no decision") exist.
    /// @param extraData abi.encode(uint256 group, address buyer, address seller, uint256 localId):
    /// the voting group, the parties (who may not vote) and the arbitrable's own id of the case.
    function createDispute(uint256 choices, bytes calldata extraData) external payable returns (uint256 disputeID);

    /// @notice What createDispute costs (community votes cost nothing).
    function arbitrationCost(bytes calldata extraData) external view returns (uint256);
}

/// @title Arbitrable, as in ERC-792.
interface IArbitrable {
    /// @notice ERC-792's ruling event.
    event Ruling(IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);

    /// @notice Called by the arbitrator only. Ruling 0: no decision, 1: buyer wins, 2: seller wins.
    function rule(uint256 _disputeID, uint256 _ruling) external;
}

/// @title The ERC-20 calls escrow needs.
interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// @title Escrow: many deals between buyers and sellers, in the native coin or ERC-20 tokens.
/// @notice Mirrors the state table of the Go package escrow (escrow.go): which party may take
/// which action from which status. A dispute goes to an ERC-792-shaped arbitrator (a community
/// vote); an arbitrator without code is a plain account (a mediator) that rules directly.
/// Every deal has a deadline in each waiting status, after which anyone may apply its timeout.
/// State is written before any transfer, payouts are pushed with bounded gas and fall back to a
/// withdrawable credit when the receiver refuses them, and every entry point is non-reentrant.
contract Escrow is IArbitrable {
    /// @notice A deal's status. The numbers are part of the interface with the Go code.
    enum Status { None, Created, Funded, Delivered, Confirmed, Disputed, Refunded, Completed, Expired }

    /// @notice Action codes in StatusChanged, in the order of the Go package's Actions.
    uint8 internal constant CREATE = 1;
    uint8 internal constant FUND = 2;
    uint8 internal constant DELIVER = 3;
    uint8 internal constant CONFIRM = 4;
    uint8 internal constant COMPLETE = 5;
    uint8 internal constant DISPUTE = 6;
    uint8 internal constant RULE = 8;
    uint8 internal constant REFUND = 9;
    uint8 internal constant TIMEOUT = 10;

    uint256 internal constant RULING_BUYER = 1;
    uint256 internal constant RULING_SELLER = 2;

    /// @notice Gas forwarded with a native-coin payout; a receiver that needs more is credited.
    uint256 public constant PAY_GAS = 50_000;
    /// @dev Gas kept back around a payout for the call itself and a credit.
    uint256 internal constant PAY_RESERVE = 40_000;

    /// @notice One deal, packed in two storage slots (three for ERC-20 deals).
    struct Deal {
        address buyer;      // slot 0
        uint40 deadline;    //   when the current status's timeout may be applied (0: none)
        Status status;
        uint32 group;       //   the arbitration group that decides a dispute
        address seller;     // slot 1
        uint96 amount;      //   in the token's (or the coin's) smallest unit
        address token;      // slot 2, zero for the native coin
    }

    error NotFound(uint256 id);
    error InvalidState(uint256 id, Status status);
    error Forbidden(uint256 id, address caller);
    error NotDue(uint256 id, uint256 deadline);
    error InvalidInput(string field);
    error Reentrant();
    error TransferFailed(address token, address to, uint256 amount);

    /// @notice A deal was set up, in `status` Created, or Funded when created and funded at once
    /// (then no StatusChanged follows: one event is cheaper).
    event DealCreated(uint256 indexed id, address indexed buyer, address indexed seller, address token, uint256 amount, uint256 group, Status status);
    /// @notice Every transition: the action code, the new status, who acted, and data
    /// (the dispute id for DISPUTE, the ruling for RULE and a disputed TIMEOUT).
    event StatusChanged(uint256 indexed id, uint256 action, Status status, address by, uint256 data);
    /// @notice ERC-1497: a dispute was opened; the evidence group is the deal id.
    event Dispute(IArbitrator indexed _arbitrator, uint256 indexed _disputeID, uint256 _metaEvidenceID, uint256 _evidenceGroupID);
    /// @notice ERC-1497 style evidence: a URI and the digest of what it points to, never the evidence itself.
    event Evidence(IArbitrator indexed _arbitrator, uint256 indexed _evidenceGroupID, address indexed _party, string _evidence, bytes32 _evidenceHash);
    /// @notice The seller lost a dispute by ruling (what a DisputeLostCredential is issued from).
    event DisputeLost(uint256 indexed id, address indexed seller, uint256 disputeID);
    /// @notice A payout was refused by its receiver and is now withdrawable.
    event Credited(address indexed token, address indexed account, uint256 amount);
    /// @notice A credit was withdrawn.
    event Withdrawn(address indexed token, address indexed account, uint256 amount);

    /// @notice The arbitrator of every deal of this contract (fixed at deployment).
    IArbitrator public immutable arbitrator;
    bool internal immutable arbitratorIsContract;
    /// @notice Seconds a deal may wait in Created, Funded, Delivered and Disputed.
    uint32 public immutable fundPeriod;
    uint32 public immutable deliverPeriod;
    uint32 public immutable confirmPeriod;
    uint32 public immutable disputePeriod;
    /// @notice What a dispute with no decision (tie, no quorum, no ruling in time) becomes: 1 refund, 2 release.
    uint8 public immutable defaultRuling;

    /// @notice The id the next deal gets (ids start at 1).
    uint256 public nextId = 1;
    mapping(uint256 => Deal) internal deals;
    /// @notice The deal of each of the arbitrator's disputes, for arbitrators whose dispute ids
    /// do not already say it (see disputeIdOf).
    mapping(uint256 => uint256) public disputeDeal;
    /// @notice Withdrawable credits: token (zero for the coin) => account => amount.
    mapping(address => mapping(address => uint256)) public credit;

    bool transient locked;

    modifier nonReentrant() {
        if (locked) revert Reentrant();
        locked = true;
        _;
        locked = false;
    }

    constructor(IArbitrator _arbitrator, uint32 _fund, uint32 _deliver, uint32 _confirm, uint32 _dispute, uint8 _defaultRuling) {
        if (address(_arbitrator) == address(0)) revert InvalidInput("arbitrator");
        if (_fund == 0 || _deliver == 0 || _confirm == 0 || _dispute == 0) revert InvalidInput("period");
        if (_defaultRuling != RULING_BUYER && _defaultRuling != RULING_SELLER) revert InvalidInput("defaultRuling");
        arbitrator = _arbitrator;
        arbitratorIsContract = address(_arbitrator).code.length > 0;
        (fundPeriod, deliverPeriod, confirmPeriod, disputePeriod) = (_fund, _deliver, _confirm, _dispute);
        defaultRuling = _defaultRuling;
    }

    /// @notice A deal's current state.
    function getDeal(uint256 id) external view returns (Deal memory) {
        return deals[id];
    }

    /// @notice Sets up a deal without money; the caller must be the buyer or the seller.
    function create(address buyer, address seller, address token, uint256 amount, uint256 group) external nonReentrant returns (uint256 id) {
        if (msg.sender != buyer && msg.sender != seller) revert Forbidden(0, msg.sender);
        id = _new(buyer, seller, token, amount, group, Status.Created, fundPeriod);
    }

    /// @notice Sets up and funds a deal in one transaction; the caller is the buyer. For the native
    /// coin send exactly `amount` (token zero); for a token, approve `amount` first.
    function createAndFund(address seller, address token, uint256 amount, uint256 group) external payable nonReentrant returns (uint256 id) {
        id = _new(msg.sender, seller, token, amount, group, Status.Funded, deliverPeriod);
        _collect(token, amount);
    }

    function _new(address buyer, address seller, address token, uint256 amount, uint256 group, Status s, uint32 period) internal returns (uint256 id) {
        if (buyer == address(0)) revert InvalidInput("buyer");
        if (seller == address(0) || seller == buyer) revert InvalidInput("seller");
        if (amount == 0 || amount > type(uint96).max) revert InvalidInput("amount");
        if (group > type(uint32).max) revert InvalidInput("group");
        if (token != address(0) && token.code.length == 0) revert InvalidInput("token");
        id = nextId++;
        Deal storage d = deals[id];
        (d.buyer, d.deadline, d.status, d.group) = (buyer, uint40(block.timestamp + period), s, uint32(group));
        (d.seller, d.amount) = (seller, uint96(amount));
        if (token != address(0)) d.token = token;
        emit DealCreated(id, buyer, seller, token, amount, group, s);
    }

    function _collect(address token, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert InvalidInput("value");
            return;
        }
        if (msg.value != 0) revert InvalidInput("value");
        // The escrow must receive the whole amount: tokens that take a fee on transfer would
        // leave deals short, so they are refused.
        uint256 before = IERC20(token).balanceOf(address(this));
        (bool ok, bytes memory ret) = token.call(abi.encodeCall(IERC20.transferFrom, (msg.sender, address(this), amount)));
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool)))) revert TransferFailed(token, msg.sender, amount);
        if (IERC20(token).balanceOf(address(this)) - before != amount) revert TransferFailed(token, msg.sender, amount);
    }

    /// @notice The buyer pays a created deal in.
    function fund(uint256 id) external payable nonReentrant {
        Deal storage d = _at(id, Status.Created, Status.Created);
        if (msg.sender != d.buyer) revert Forbidden(id, msg.sender);
        (d.status, d.deadline) = (Status.Funded, uint40(block.timestamp + deliverPeriod));
        emit StatusChanged(id, FUND, Status.Funded, msg.sender, 0);
        _collect(d.token, d.amount);
    }

    /// @notice The seller marks a funded deal delivered.
    function deliver(uint256 id) external {
        Deal storage d = _at(id, Status.Funded, Status.Funded);
        if (msg.sender != d.seller) revert Forbidden(id, msg.sender);
        (d.status, d.deadline) = (Status.Delivered, uint40(block.timestamp + confirmPeriod));
        emit StatusChanged(id, DELIVER, Status.Delivered, msg.sender, 0);
    }

    /// @notice The buyer accepts: the money goes to the seller.
    function confirm(uint256 id) external nonReentrant {
        Deal storage d = _at(id, Status.Funded, Status.Delivered);
        if (msg.sender != d.buyer) revert Forbidden(id, msg.sender);
        _release(id, d, CONFIRM, 0);
    }

    /// @notice Either party closes a confirmed deal.
    function complete(uint256 id) external {
        Deal storage d = _at(id, Status.Confirmed, Status.Confirmed);
        if (msg.sender != d.buyer && msg.sender != d.seller) revert Forbidden(id, msg.sender);
        d.status = Status.Completed;
        emit StatusChanged(id, COMPLETE, Status.Completed, msg.sender, 0);
    }

    /// @notice The seller gives the money back.
    function refund(uint256 id) external nonReentrant {
        Deal storage d = _at(id, Status.Funded, Status.Delivered);
        if (msg.sender != d.seller) revert Forbidden(id, msg.sender);
        _refund(id, d, REFUND, 0);
    }

    /// @notice Either party hands the deal to the arbitrator.
    function dispute(uint256 id) external nonReentrant returns (uint256 disputeID) {
        Deal storage d = _at(id, Status.Funded, Status.Delivered);
        address buyer = d.buyer;
        address seller = d.seller;
        if (msg.sender != buyer && msg.sender != seller) revert Forbidden(id, msg.sender);
        (d.status, d.deadline) = (Status.Disputed, uint40(block.timestamp + disputePeriod));
        if (arbitratorIsContract) {
            disputeID = arbitrator.createDispute(2, abi.encode(uint256(d.group), buyer, seller, id));
            if (disputeID != disputeIdOf(id)) disputeDeal[disputeID] = id;
        } else {
            disputeID = id; // a plain account rules on the deal id itself
        }
        emit Dispute(arbitrator, disputeID, 0, id);
        emit StatusChanged(id, DISPUTE, Status.Disputed, msg.sender, disputeID);
    }

    /// @notice Either party points to evidence for a dispute: a URI and the digest of its content.
    function submitEvidence(uint256 id, string calldata uri, bytes32 hash) external {
        Deal storage d = _at(id, Status.Disputed, Status.Disputed);
        if (msg.sender != d.buyer && msg.sender != d.seller) revert Forbidden(id, msg.sender);
        if (bytes(uri).length == 0 || bytes(uri).length > 2048) revert InvalidInput("uri");
        if (hash == bytes32(0)) revert InvalidInput("hash");
        emit Evidence(arbitrator, id, msg.sender, uri, hash);
    }

    /// @notice The dispute id that names deal `id` of this contract by itself: the contract's
    /// address in the high 160 bits, the deal id in the low 96. An arbitrator that returns it
    /// (as CommunityArbitrator does) spares the escrow a storage write per dispute.
    function disputeIdOf(uint256 id) public view returns (uint256) {
        return (uint256(uint160(address(this))) << 96) | id;
    }

    /// @inheritdoc IArbitrable
    function rule(uint256 disputeID, uint256 ruling) external nonReentrant {
        if (ruling > RULING_SELLER) revert InvalidInput("ruling");
        uint256 id = disputeID;
        if (arbitratorIsContract) {
            id = disputeDeal[disputeID];
            if (id == 0 && disputeID >> 96 == uint160(address(this))) id = uint96(disputeID);
        }
        Deal storage d = _at(id, Status.Disputed, Status.Disputed);
        if (msg.sender != address(arbitrator)) revert Forbidden(id, msg.sender);
        emit Ruling(arbitrator, disputeID, ruling);
        _decide(id, d, RULE, ruling);
        if (ruling == RULING_BUYER) emit DisputeLost(id, d.seller, disputeID);
    }

    /// @notice Anyone applies a passed deadline: an unfunded deal expires, an undelivered one is
    /// refunded, a delivered one the buyer left unanswered is released, an undecided dispute
    /// takes the default ruling.
    function timeout(uint256 id) external nonReentrant {
        Deal storage d = _at(id, Status.Created, Status.Disputed);
        Status s = d.status;
        if (s == Status.Confirmed) revert InvalidState(id, s);
        if (block.timestamp < d.deadline) revert NotDue(id, d.deadline);
        if (s == Status.Created) {
            (d.status, d.deadline) = (Status.Expired, 0);
            emit StatusChanged(id, TIMEOUT, Status.Expired, msg.sender, 0);
        } else if (s == Status.Funded) {
            _refund(id, d, TIMEOUT, 0);
        } else if (s == Status.Delivered) {
            _release(id, d, TIMEOUT, 0);
        } else {
            _decide(id, d, TIMEOUT, 0);
        }
    }

    /// @notice Withdraws the caller's credit in `token` (zero for the coin).
    function withdraw(address token) external nonReentrant {
        uint256 amount = credit[token][msg.sender];
        if (amount == 0) revert InvalidInput("credit");
        credit[token][msg.sender] = 0;
        emit Withdrawn(token, msg.sender, amount);
        bool ok;
        if (token == address(0)) {
            (ok,) = msg.sender.call{value: amount}("");
        } else {
            bytes memory ret;
            (ok, ret) = token.call(abi.encodeCall(IERC20.transfer, (msg.sender, amount)));
            ok = ok && (ret.length == 0 || abi.decode(ret, (bool)));
        }
        if (!ok) revert TransferFailed(token, msg.sender, amount);
    }

    /// @dev The deal, which must exist and be in a status between lo and hi (in enum order).
    function _at(uint256 id, Status lo, Status hi) internal view returns (Deal storage d) {
        d = deals[id];
        Status s = d.status;
        if (s == Status.None) revert NotFound(id);
        if (s < lo || s > hi) revert InvalidState(id, s);
    }

    /// @dev Applies a ruling; 0 ("no decision") takes the default. StatusChanged records the
    /// ruling as given, so 0 stays visible.
    function _decide(uint256 id, Deal storage d, uint8 action, uint256 ruling) internal {
        uint256 effective = ruling == 0 ? defaultRuling : ruling;
        if (effective == RULING_SELLER) _release(id, d, action, ruling);
        else _refund(id, d, action, ruling);
    }

    function _release(uint256 id, Deal storage d, uint8 action, uint256 data) internal {
        (d.status, d.deadline) = (Status.Confirmed, 0);
        emit StatusChanged(id, action, Status.Confirmed, msg.sender, data);
        _pay(d.token, d.seller, d.amount);
    }

    function _refund(uint256 id, Deal storage d, uint8 action, uint256 data) internal {
        (d.status, d.deadline) = (Status.Refunded, 0);
        emit StatusChanged(id, action, Status.Refunded, msg.sender, data);
        _pay(d.token, d.buyer, d.amount);
    }

    /// @dev Pushes a payout; if the receiver refuses it (reverts, runs out of the bounded gas,
    /// or a token returns false), the amount becomes the receiver's withdrawable credit.
    function _pay(address token, address to, uint256 amount) internal {
        // Enough gas must be left for the push and, should it fail, the credit: a caller cannot
        // turn a payout into a credit by sending too little gas.
        if (gasleft() < PAY_GAS + PAY_RESERVE) revert InvalidInput("gas");
        bool ok;
        if (token == address(0)) {
            assembly ("memory-safe") {
                ok := call(PAY_GAS, to, amount, 0, 0, 0, 0) // return data ignored, never copied
            }
        } else {
            bytes memory ret;
            (ok, ret) = token.call(abi.encodeCall(IERC20.transfer, (to, amount)));
            ok = ok && (ret.length == 0 || (ret.length >= 32 && abi.decode(ret, (bool))));
        }
        if (!ok) {
            credit[token][to] += amount;
            emit Credited(token, to, amount);
        }
    }
}
