export { importPupils, importStaff, type ImportOutcome } from './import-directory';
