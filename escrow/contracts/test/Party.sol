// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.37;

/// @title Party: a contract wallet acting as a buyer or seller in tests, which can be told to
/// accept payments, refuse them, try to re-enter the escrow when paid, or burn all gas.
contract Party {
    enum Mode { Accept, Refuse, Reenter, Burn }

    Mode public mode;
    address public reenterTarget;
    bytes public reenterData;
    uint256 public reentryAttempts;
    uint256 public reentrySucceeded;
    uint256 public received;

    /// @dev The counters start at 1 (read them minus one), so that counting a payment writes
    /// non-zero slots and fits in the escrow's bounded payout gas.
    constructor() {
        (reentryAttempts, reentrySucceeded, received) = (1, 1, 1);
    }

    function setMode(Mode m) external {
        mode = m;
    }

    function setReentry(address target, bytes calldata data) external {
        (reenterTarget, reenterData) = (target, data);
    }

    /// @notice Calls target with value and data as this contract, bubbling up a revert.
    function exec(address target, uint256 value, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = target.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        if (mode == Mode.Refuse) revert("refused");
        if (mode == Mode.Burn) {
            while (true) {}
        }
        if (mode == Mode.Reenter) {
            reentryAttempts++;
            (bool ok,) = reenterTarget.call(reenterData);
            if (ok) reentrySucceeded++;
        }
        received += msg.value;
    }
}
