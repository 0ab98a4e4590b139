// The catalog owns its state names (its store port; a leaf module, so no import cycle);
// the SQL CHECK constraints of migration 001 read them from here.
export * from '../catalog/catalog-states.js';
