// Compiles the escrow contracts with the pinned npm solc and writes one
// combined JSON per package for `abigen --v2 --combined-json`.
// Usage: node compile.js OUTDIR
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

// Polygon PoS runs Cancun's EVM since its Napoli hardfork; the contracts use
// transient storage (EIP-1153) for the reentrancy guard.
const EVM_VERSION = 'cancun';
const groups = {
  escrow: ['Escrow.sol', 'CommunityArbitrator.sol'],
  testcontracts: ['test/TestToken.sol', 'test/Party.sol'],
};

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node compile.js OUTDIR');
  process.exit(2);
}
const read = (p) => fs.readFileSync(path.join(__dirname, p), 'utf8');

for (const [name, files] of Object.entries(groups)) {
  const sources = {};
  for (const f of files) sources[f] = { content: read(f) };
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 10000 },
      metadata: { bytecodeHash: 'none' },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), {
    import: (p) => {
      try { return { contents: read(p) }; } catch (e) { return { error: 'not found: ' + p }; }
    },
  }));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  for (const e of out.errors || []) console.error(e.formattedMessage);
  if (errors.length) process.exit(1);
  const combined = { contracts: {}, version: solc.version() };
  for (const f of files) {
    for (const [cname, c] of Object.entries(out.contracts[f] || {})) {
      if (!c.evm.bytecode.object) continue; // interfaces
      combined.contracts[`${f}:${cname}`] = { abi: c.abi, bin: c.evm.bytecode.object };
    }
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify(combined, null, 1) + '\n');
}
