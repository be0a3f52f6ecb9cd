import type { Descriptor } from './descriptor.ts';
import type { ParsedManifest } from './manifest.ts';
import { isNonDistributableMediaType } from './media-types.ts';

/**
 * True for a layer the registry is not expected to hold: a Docker foreign or OCI non-distributable
 * layer that names `urls` to fetch it from (Windows base layers). Such layers are neither copied
 * nor required before the manifest is pushed; a foreign-typed layer *without* `urls` can only be
 * pulled from the registry, so it is an ordinary child.
 */
export function isForeignLayer(d: Descriptor): boolean {
  return isNonDistributableMediaType(d.mediaType) && (d.urls?.length ?? 0) > 0;
}

/**
 * The descriptors a manifest references that must exist in a repository before the manifest is
 * pushed there: an index's `manifests[]`, or an image manifest's config then its layers minus
 * {@link isForeignLayer} ones. Schema 1 manifests yield an empty list: they are reported, not copied
 * (distribution refuses schema 1 pushes unless `compatibility.schema1.enabled` is set).
 *
 * `subject` is not a child: it is a weak reference for the referrers API (image-spec `manifest.md`)
 * and registries accept a manifest whose subject is absent.
 */
export function childrenOf(m: ParsedManifest): Descriptor[] {
  switch (m.kind) {
    case 'index':
      return [...m.index.manifests];
    case 'image':
      return [m.manifest.config, ...m.manifest.layers.filter((l) => !isForeignLayer(l))];
    case 'schema1':
      return [];
  }
}

/** The layers of an image manifest that {@link childrenOf} leaves out because they live at external `urls`. */
export function foreignLayersOf(m: ParsedManifest): Descriptor[] {
  return m.kind === 'image' ? m.manifest.layers.filter(isForeignLayer) : [];
}
