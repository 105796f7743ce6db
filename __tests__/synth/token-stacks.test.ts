import { Lazy } from "cdktf";
import { Intrinsic } from "cdktf/lib/tokens/private/intrinsic";

/**
 * The switch the app runner and this layer's setup share (scripts/token-stacks.js): a token neither records nor
 * even walks the stack where it was created (V8's walk of every frame is the cost, not only the formatting); a real
 * error keeps its stack.
 */

it("creating a token walks no stack and records none", () => {
  const capture = jest.spyOn(Error, "captureStackTrace");
  try {
    const tokens = [new Intrinsic("value"), Lazy.anyValue({ produce: () => "x" })];
    expect(capture).not.toHaveBeenCalled();
    expect((tokens[0] as Intrinsic).creationStack).toEqual([]);
  } finally {
    capture.mockRestore();
  }
});

it("an error still has its stack", () => {
  expect(new Error("real").stack).toMatch(/\n\s+at .+token-stacks\.test\.ts/);
});
