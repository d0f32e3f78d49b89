import { describe, expect, it } from 'vitest';
import { ffmpegArgs, frameGrabRun, progressSeconds } from '../../src/domain/ffmpeg-runs.ts';
import { emptyInfo, type MediaInfo } from '../../src/domain/media-info.ts';

describe('the ffmpeg command line of a run', () => {
  it('puts global options first, each input after its options, each output after its options', () => {
    const args = ffmpegArgs({
      inputs: [{ path: '/w/original.mp4', options: ['-ss', '1.000'] }, { path: '/w/original.mp4', options: ['-ss', '2.000'] }],
      outputs: [{ path: '/w/a.jpg', options: ['-map', '0:v:0'] }, { path: '/w/b.jpg', options: ['-map', '1:v:0'] }],
      mediaSeconds: null,
    });
    expect(args).toEqual([
      '-nostdin', '-hide_banner', '-nostats', '-progress', 'pipe:1', '-y',
      '-ss', '1.000', '-i', '/w/original.mp4',
      '-ss', '2.000', '-i', '/w/original.mp4',
      '-map', '0:v:0', '/w/a.jpg',
      '-map', '1:v:0', '/w/b.jpg',
    ]);
  });

  it('keeps a run built by the media stages whole: every input and output, in order', () => {
    const info: MediaInfo = { ...emptyInfo, durationSec: 10, video: { codec: 'h264', width: 1920, height: 1080, fps: 30, rotation: 0 } };
    const run = frameGrabRun('/w/original.mp4', info, [1, 5, 9], 320, (i) => `/w/frame-${i}.jpg`);
    const args = ffmpegArgs(run);
    expect(args.filter((a) => a === '-i')).toHaveLength(3);
    expect(args.slice(-1)).toEqual(['/w/frame-2.jpg']);
    expect(args.indexOf('/w/frame-0.jpg')).toBeLessThan(args.indexOf('/w/frame-1.jpg'));
  });
});

describe('ffmpeg -progress output', () => {
  it('gives the seconds done from out_time lines, and nothing from the other lines', () => {
    const block = 'frame=120\nfps=30.0\nout_time_us=4000000\nout_time_ms=4000000\nout_time=00:00:04.000000\nspeed=1.0x\nprogress=continue';
    expect(block.split('\n').map(progressSeconds)).toEqual([null, null, null, null, 4, null, null]);
    expect(progressSeconds('out_time=01:02:03.500000')).toBe(3723.5);
    // Before the first frame ffmpeg reports nothing known, or a time before the start.
    expect(progressSeconds('out_time=N/A')).toBeNull();
    expect(progressSeconds('out_time=-577014:32:22.775808')).toBe(0);
  });
});
