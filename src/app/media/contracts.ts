import type { MediaInfo } from '../../domain/media-info.ts';
import type { ItemMedia } from '../../ports/media-catalog.ts';

/** Size as displayed: rotation (video) or orientation (photo) applied. */
function displayedSize(info: MediaInfo | null): { width: number | null; height: number | null } {
  if (info?.image) return { width: info.image.width, height: info.image.height };
  const v = info?.video;
  if (!v) return { width: null, height: null };
  const turned = v.rotation === 90 || v.rotation === 270;
  return { width: turned ? v.height : v.width, height: turned ? v.width : v.height };
}

/**
 * The `media` field of `evidock query --json` (docs/cli-json.md): add fields, never rename. An item
 * without recorded media is `pending`.
 */
export function mediaJson(media: ItemMedia | undefined) {
  const info = media?.info ?? null;
  return {
    state: media?.state ?? 'pending',
    reason: media?.reason ?? null,
    durationSec: info?.durationSec ?? null,
    ...displayedSize(info),
    videoCodec: info?.video?.codec ?? null,
    audioCodec: info?.audio?.codec ?? null,
    gps: info?.gps ?? null,
    derivatives: (media?.derivatives ?? []).map((d) => ({
      role: d.role, key: d.key, versionId: d.versionId, contentType: d.contentType, size: d.size, sha256: d.sha256,
      width: d.width, height: d.height, durationSec: d.durationSec,
    })),
  };
}

export type MediaJson = ReturnType<typeof mediaJson>;
