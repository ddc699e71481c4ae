export function scenarioJsonSchema(): unknown { return {}; }
