// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

import {IArbitrator, IArbitrable} from "./Escrow.sol";

/// @title CommunityArbitrator: a group of members (or an open pool) votes on each dispute.
/// @notice ERC-792-shaped: an arbitrable contract opens a case with createDispute (free of charge);
/// the group's members vote within the group's window; after it anyone calls execute, which
/// rules on the arbitrable contract. A dispute id is the arbitrable's address (high 160 bits)
/// and its own id of the case (low 96 bits), so neither side stores a mapping.
///
/// Stated rules:
/// - Majority of the votes cast rules: 1 (buyer wins, refund) or 2 (seller wins, release).
/// - A tie, or fewer votes than the group's quorum (no-shows), rules 0: "no decision", which the
///   escrow turns into its configured default outcome.
/// - Only members who joined before the case opened may vote (an open group: anyone), never the
///   two parties, and each once.
/// - With commit-reveal, a voter first commits keccak256(abi.encode(arbitrator, disputeID, voter,
///   choice, salt)) during the vote period, then reveals choice and salt during the reveal period;
///   unrevealed commitments do not count.
contract CommunityArbitrator is IArbitrator {
    struct Group {
        address admin;       // adds and removes members
        uint32 votePeriod;   // seconds from opening (the commit period with commit-reveal)
        uint32 revealPeriod; // seconds after votePeriod; 0 means open voting
        uint16 quorum;       // fewest votes that make a decision
        bool open;           // anyone may vote (a public pool)
        bool exists;
    }

    /// @dev One case in one slot: a vote reads and writes only this slot and its ballot.
    struct Case {
        uint32 opened;       // when the case opened; 0 once executed
        uint32 group;
        uint16 buyerVotes;
        uint16 sellerVotes;
        bytes20 parties;     // keccak256(abi.encode(buyer, seller)), truncated: the parties may not vote
    }

    error UnknownGroup(uint256 group);
    error UnknownCase(uint256 disputeID);
    error NotAdmin(uint256 group, address caller);
    error NotEligible(uint256 disputeID, address voter);
    error AlreadyVoted(uint256 disputeID, address voter);
    error WrongPhase(uint256 disputeID);
    error BadChoice(uint256 choice);
    error BadReveal(uint256 disputeID, address voter);
    error BadInput(string field);

    event GroupCreated(uint256 indexed group, address indexed admin, uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open);
    event MemberChanged(uint256 indexed group, address indexed member, bool isMember);
    /// @notice ERC-792's DisputeCreation.
    event DisputeCreation(uint256 indexed _disputeID, IArbitrable indexed _arbitrable);
    event VoteCommitted(uint256 indexed disputeID, address indexed voter);
    event VoteCast(uint256 indexed disputeID, address indexed voter, uint256 choice);
    event Ruled(uint256 indexed disputeID, uint256 ruling, uint256 buyerVotes, uint256 sellerVotes);

    bytes32 internal constant VOTED = bytes32(uint256(1));

    /// @notice Number of groups created (group ids start at 1).
    uint256 public groupCount;
    mapping(uint256 => Group) public groups;
    /// @notice When a member joined a group (0: not a member).
    mapping(uint256 => mapping(address => uint256)) public memberSince;
    mapping(uint256 => Case) public cases;
    /// @notice A voter's ballot in a case: a commitment, or VOTED (1) once counted.
    mapping(uint256 => mapping(address => bytes32)) public ballots;

    /// @notice Creates a group administered by the caller.
    function createGroup(uint32 votePeriod, uint32 revealPeriod, uint16 quorum, bool open, address[] calldata members) external returns (uint256 group) {
        if (votePeriod == 0) revert BadInput("votePeriod");
        group = ++groupCount;
        groups[group] = Group(msg.sender, votePeriod, revealPeriod, quorum, open, true);
        emit GroupCreated(group, msg.sender, votePeriod, revealPeriod, quorum, open);
        _add(group, members);
    }

    /// @notice The group's admin adds members.
    function addMembers(uint256 group, address[] calldata members) external {
        if (groups[group].admin != msg.sender) revert NotAdmin(group, msg.sender);
        _add(group, members);
    }

    /// @notice The group's admin removes a member.
    function removeMember(uint256 group, address member) external {
        if (groups[group].admin != msg.sender) revert NotAdmin(group, msg.sender);
        memberSince[group][member] = 0;
        emit MemberChanged(group, member, false);
    }

    function _add(uint256 group, address[] calldata members) internal {
        for (uint256 i; i < members.length; i++) {
            if (memberSince[group][members[i]] == 0) {
                memberSince[group][members[i]] = block.timestamp;
                emit MemberChanged(group, members[i], true);
            }
        }
    }

    /// @inheritdoc IArbitrator
    function arbitrationCost(bytes calldata) external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IArbitrator
    function createDispute(uint256 choices, bytes calldata extraData) external payable returns (uint256 disputeID) {
        if (msg.value != 0) revert BadInput("value");
        if (choices != 2) revert BadInput("choices");
        (uint256 group, address buyer, address seller, uint256 localId) = abi.decode(extraData, (uint256, address, address, uint256));
        if (!groups[group].exists) revert UnknownGroup(group);
        if (localId > type(uint96).max) revert BadInput("localId");
        disputeID = (uint256(uint160(msg.sender)) << 96) | localId;
        if (cases[disputeID].parties != 0) revert BadInput("localId"); // a case is opened once
        cases[disputeID] = Case(uint32(block.timestamp), uint32(group), 0, 0, _parties(buyer, seller));
        emit DisputeCreation(disputeID, IArbitrable(msg.sender));
    }

    /// @notice Open voting: choice 1 (buyer) or 2 (seller); buyer and seller are the case's parties.
    function vote(uint256 disputeID, uint256 choice, address buyer, address seller) external {
        Case storage c = cases[disputeID];
        Group storage g = _case(c, disputeID);
        if (g.revealPeriod != 0) revert WrongPhase(disputeID);
        if (block.timestamp >= uint256(c.opened) + g.votePeriod) revert WrongPhase(disputeID);
        _eligible(c, g, disputeID, buyer, seller);
        if (ballots[disputeID][msg.sender] != 0) revert AlreadyVoted(disputeID, msg.sender);
        ballots[disputeID][msg.sender] = VOTED;
        _count(c, disputeID, choice);
    }

    /// @notice Commit-reveal, first step: commit keccak256(abi.encode(address(this), disputeID, voter, choice, salt)).
    function commit(uint256 disputeID, bytes32 commitment) external {
        Case storage c = cases[disputeID];
        Group storage g = _case(c, disputeID);
        if (g.revealPeriod == 0 || block.timestamp >= uint256(c.opened) + g.votePeriod) revert WrongPhase(disputeID);
        if (!g.open && (memberSince[c.group][msg.sender] == 0 || memberSince[c.group][msg.sender] > c.opened)) revert NotEligible(disputeID, msg.sender);
        if (commitment == 0 || commitment == VOTED) revert BadInput("commitment");
        if (ballots[disputeID][msg.sender] != 0) revert AlreadyVoted(disputeID, msg.sender);
        ballots[disputeID][msg.sender] = commitment;
        emit VoteCommitted(disputeID, msg.sender);
    }

    /// @notice Commit-reveal, second step, during the reveal period.
    function reveal(uint256 disputeID, uint256 choice, bytes32 salt, address buyer, address seller) external {
        Case storage c = cases[disputeID];
        Group storage g = _case(c, disputeID);
        uint256 end = uint256(c.opened) + g.votePeriod;
        if (g.revealPeriod == 0 || block.timestamp < end || block.timestamp >= end + g.revealPeriod) revert WrongPhase(disputeID);
        _eligible(c, g, disputeID, buyer, seller);
        bytes32 b = ballots[disputeID][msg.sender];
        if (b == VOTED) revert AlreadyVoted(disputeID, msg.sender);
        if (b == 0 || b != keccak256(abi.encode(address(this), disputeID, msg.sender, choice, salt))) revert BadReveal(disputeID, msg.sender);
        ballots[disputeID][msg.sender] = VOTED;
        _count(c, disputeID, choice);
    }

    /// @notice After the window, anyone executes the case: the ruling goes to the arbitrable contract.
    function execute(uint256 disputeID) external returns (uint256 ruling) {
        Case storage c = cases[disputeID];
        Group storage g = _case(c, disputeID);
        if (block.timestamp < uint256(c.opened) + g.votePeriod + g.revealPeriod) revert WrongPhase(disputeID);
        (uint256 b, uint256 s) = (c.buyerVotes, c.sellerVotes);
        if (b + s >= g.quorum) ruling = b > s ? 1 : (s > b ? 2 : 0);
        c.opened = 0;
        emit Ruled(disputeID, ruling, b, s);
        IArbitrable(address(uint160(disputeID >> 96))).rule(disputeID, ruling);
    }

    /// @notice The ruling the votes so far would give (0 while tied or short of quorum).
    function currentRuling(uint256 disputeID) external view returns (uint256) {
        Case storage c = cases[disputeID];
        (uint256 b, uint256 s) = (c.buyerVotes, c.sellerVotes);
        if (b + s < groups[c.group].quorum) return 0;
        return b > s ? 1 : (s > b ? 2 : 0);
    }

    function _parties(address buyer, address seller) internal pure returns (bytes20) {
        return bytes20(keccak256(abi.encode(buyer, seller)));
    }

    function _case(Case storage c, uint256 disputeID) internal view returns (Group storage g) {
        if (c.parties == 0) revert UnknownCase(disputeID);
        if (c.opened == 0) revert WrongPhase(disputeID); // already executed
        g = groups[c.group];
    }

    function _eligible(Case storage c, Group storage g, uint256 disputeID, address buyer, address seller) internal view {
        if (_parties(buyer, seller) != c.parties) revert BadInput("parties");
        if (msg.sender == buyer || msg.sender == seller) revert NotEligible(disputeID, msg.sender);
        if (!g.open) {
            uint256 since = memberSince[c.group][msg.sender];
            if (since == 0 || since > c.opened) revert NotEligible(disputeID, msg.sender);
        }
    }

    function _count(Case storage c, uint256 disputeID, uint256 choice) internal {
        if (choice == 1) c.buyerVotes++;
        else if (choice == 2) c.sellerVotes++;
        else revert BadChoice(choice);
        emit VoteCast(disputeID, msg.sender, choice);
    }
}
