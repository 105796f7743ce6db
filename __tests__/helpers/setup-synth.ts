import { Testing } from "cdktf";
// Types for toHaveResourceWithProperties & co. in every test file.
import type {} from "cdktf/lib/testing/adapters/jest";
// The app runner's switch: no stack trace captured for every token cdktf creates.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { skipTokenCreationStacks } = require("../../scripts/token-stacks") as { skipTokenCreationStacks: () => void };

skipTokenCreationStacks();
Testing.setupJest();
