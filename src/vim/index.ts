export * from './vim-driver.js';
