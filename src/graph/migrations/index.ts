import { Migration20261128000001Graph } from './Migration20261128000001Graph';

/** Every migration in order. Listed explicitly so that no file-system scan decides what runs. */
export const migrations = [{ name: 'Migration20261128000001Graph', class: Migration20261128000001Graph }];
