// displayName `infra-tests` (not the folder name `tests`): `npx jest --selectProjects infra-tests`.
module.exports = require('../../jest.preset.js')(__dirname, { displayName: 'infra-tests' });
