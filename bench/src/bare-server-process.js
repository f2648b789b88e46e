// The ceiling for the read scenario: the same response body from a bare Node `http` server
// (no framework, no proxy, no database). Run as its own process: node bare-server-process.js <body-file>
'use strict';
const http = require('node:http');
const fs = require('node:fs');

const body = fs.readFileSync(process.argv[2]);
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
