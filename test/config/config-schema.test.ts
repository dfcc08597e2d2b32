import { CONFIG_SCHEMA, CONFIG_VARIABLES } from '../../src/config/config-schema';

describe('the configuration schema', () => {
  it('gives every variable its meaning in one line, for the docs generated from it', () => {
    const meanings = Object.entries(CONFIG_SCHEMA.shape).map(([name, schema]) => [name, schema.description]);
    const missing = meanings.filter(([, meaning]) => typeof meaning !== 'string' || meaning.trim() === '');
    expect(missing).toEqual([]);
    const multiline = meanings.filter(([, meaning]) => meaning?.includes('\n'));
    expect(multiline).toEqual([]);
    expect(meanings).toHaveLength(CONFIG_VARIABLES.length);
  });

  it('describes each variable in its own words, not a copy of another', () => {
    const meanings = Object.values(CONFIG_SCHEMA.shape).map((schema) => schema.description);
    expect(new Set(meanings).size).toBe(meanings.length);
  });
});
