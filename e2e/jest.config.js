// Black-box tests: each file starts the whole stack (as `npm start` does) on free ports.
module.exports = require('../jest.preset.js')(__dirname, {
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
});
