import { runGroup } from "../helpers/groups";

runGroup(__filename);
