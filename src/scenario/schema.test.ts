import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from './schema.js';

/** The committed schema's text: the function's output as 2-space JSON with a final newline. */
function schemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

describe('docs/scenario.schema.json', () => {
  it('is scenarioJsonSchema() (regenerate: npx vitest run src/scenario/schema.test.ts -u)', async () => {
    await expect(schemaText()).toMatchFileSnapshot('../../docs/scenario.schema.json');
  });

  it('has a definition for every $ref it uses', () => {
    const text = schemaText();
    const defs = Object.keys((scenarioJsonSchema().definitions ?? {}) as object);
    for (const [, name] of text.matchAll(/"#\/definitions\/([A-Za-z]+)"/g)) expect(defs).toContain(name);
  });
});
