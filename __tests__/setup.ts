import { Testing } from "cdktf";
// Types for toHaveResourceWithProperties & co. in every test file.
import type {} from "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
