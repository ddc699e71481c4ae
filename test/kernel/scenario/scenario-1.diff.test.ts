/**
 * Scenario differential test, shard 1 of 2 (see scenario-suite.ts for what it checks and
 * docs/testing.md): every other scenario, so the two shards run side by side.
 */
import { scenarioSuite } from './scenario-suite.js';

scenarioSuite(0, 2);
