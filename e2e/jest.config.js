// Black-box tests: each file starts the whole stack (as `npm start` does) on free ports; e2e/expiry
// runs two services' real pieces in this process instead (orders with the expiration worker).
module.exports = require('../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
});
