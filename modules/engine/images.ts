import { atPath, deepMerge } from "../merge";
import type { ImageValue, Values } from "./types";

/**
 * Container images in an add-on's values. The image of an add-on that holds an AWS identity is the code that
 * runs under its IAM role (a sidecar or extra container too: it shares the pod's service account token), so
 * values cannot choose it (values-checks.ts); it comes from the chart's upstream registry, or from the
 * environment's `imageRegistryMirror`, which the engine writes into the paths the add-on declares (`images`).
 */

/** A key that holds an image or a part of one wherever it appears: `image`, `sidecarImage`, `imageRegistry`. */
const IMAGE_KEY = /image$|^image(Registry|Repository|Namespace|Name|Tag|Digest)$/i;
/** Parts of an image under an image key: every key but how it is pulled. */
const PULL_SETTINGS = /^(pullPolicy|pullSecrets|imagePullPolicy)$/i;
/** Image parts some charts keep under `global` (external-secrets' `global.repository`). */
const GLOBAL_IMAGE_PARTS = /^(registry|repository|tag|digest|sha)$/i;

/**
 * Whether a values path names an image or a part of one: any key matching `IMAGE_KEY` (`image`,
 * `controller.image`, `extraContainers[0].image`, `imageRegistry`), anything under one but its pull settings
 * (`image.repository`, `sidecars.x.image.tag`), and `global.registry`/`repository`/`tag`/`digest`. A key such as
 * external-dns's `registry: txt` (its record ownership) is not.
 */
export function isImageValuePath(path: ReadonlyArray<PropertyKey>): boolean {
  const keys = path.filter((key): key is string => typeof key === "string");
  const last = keys.at(-1);
  if (last === undefined) return false;
  if (IMAGE_KEY.test(last) && !PULL_SETTINGS.test(last)) return true;
  if (keys.slice(0, -1).some((key) => IMAGE_KEY.test(key))) return !PULL_SETTINGS.test(last);
  return keys.length === 2 && keys[0] === "global" && GLOBAL_IMAGE_PARTS.test(last);
}

/** `public.ecr.aws/karpenter/controller` from `mirror.example.com/x`: `mirror.example.com/x/karpenter/controller`. */
export function mirroredImage(upstream: string, mirror: string): string {
  const slash = upstream.indexOf("/");
  return slash < 0 ? mirror : `${mirror}${upstream.slice(slash)}`;
}

/** The values that point each declared image at the mirror; none without one. */
export function imageValuesFor(images: ReadonlyArray<ImageValue>, mirror: string | undefined): Values {
  if (!mirror) return {};
  return deepMerge(...images.map((image) => atPath([...image.path], mirroredImage(image.upstream, mirror))));
}
