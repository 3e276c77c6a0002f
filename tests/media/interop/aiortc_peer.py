#!/usr/bin/python3
"""aiortc far end for the media relay interop tests.

Reads one JSON line on stdin with the gateway side's ICE credentials, candidates and DTLS
fingerprint; prints one JSON line with its own (parsed from its offer); answers as the SDP offerer
would expect (this script writes the answer SDP itself: media/ knows no SDP); sends a sine tone of
--freq Hz as Opus and records what it hears to --wav for --seconds seconds.
"""
import argparse
import asyncio
import fractions
import json
import math
import struct
import sys
import time

import aioice.ice

# aiortc drops loopback addresses on purpose; the tests run on 127.0.0.1 only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription  # noqa: E402
from aiortc.contrib.media import MediaRecorder  # noqa: E402
from av import AudioFrame  # noqa: E402

RATE = 48000
SAMPLES = 960  # 20 ms


class Tone(MediaStreamTrack):
    kind = "audio"

    def __init__(self, freq):
        super().__init__()
        self.freq = freq
        self.pts = 0
        self.start = None

    async def recv(self):
        if self.start is None:
            self.start = time.time()
        wait = self.start + self.pts / RATE - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        pcm = struct.pack(
            "<%dh" % SAMPLES,
            *[int(8000 * math.sin(2 * math.pi * self.freq * (self.pts + i) / RATE)) for i in range(SAMPLES)],
        )
        frame = AudioFrame(format="s16", layout="mono", samples=SAMPLES)
        frame.planes[0].update(pcm)
        frame.sample_rate = RATE
        frame.pts = self.pts
        frame.time_base = fractions.Fraction(1, RATE)
        self.pts += SAMPLES
        return frame


def describe_offer(sdp):
    info = {"candidates": []}
    for line in sdp.splitlines():
        if line.startswith("a=ice-ufrag:"):
            info["ufrag"] = line.split(":", 1)[1]
        elif line.startswith("a=ice-pwd:"):
            info["pwd"] = line.split(":", 1)[1]
        elif line.startswith("a=fingerprint:sha-256 "):
            info["fingerprint"] = line.split(" ", 1)[1]
        elif line.startswith("a=mid:"):
            info["mid"] = line.split(":", 1)[1]
        elif line.startswith("a=rtpmap:") and "opus/48000" in line:
            info["opus_pt"] = int(line[len("a=rtpmap:"):].split(" ")[0])
        elif line.startswith("a=candidate:"):
            f = line[len("a=candidate:"):].split()
            if f[2].lower() != "udp" or ":" in f[4]:
                continue
            info["candidates"].append(
                {"foundation": f[0], "component": int(f[1]), "priority": int(f[3]), "address": f[4],
                 "port": int(f[5]), "type": f[7]})
    return info


def answer_sdp(offer, ours):
    lines = [
        "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE %s" % offer["mid"],
        "m=audio 9 UDP/TLS/RTP/SAVPF %d" % offer["opus_pt"], "c=IN IP4 127.0.0.1",
        "a=mid:%s" % offer["mid"], "a=sendrecv", "a=rtcp-mux",
        "a=ice-ufrag:%s" % ours["ufrag"], "a=ice-pwd:%s" % ours["pwd"],
        "a=fingerprint:sha-256 %s" % ours["fingerprint"], "a=setup:%s" % ours.get("setup", "passive"),
        "a=rtpmap:%d opus/48000/2" % offer["opus_pt"],
    ]
    for c in ours["candidates"]:
        lines.append("a=candidate:%s %d udp %d %s %d typ host" % (c["foundation"], c["component"], c["priority"],
                                                                 c["address"], c["port"]))
    lines.append("a=end-of-candidates")
    return "\r\n".join(lines) + "\r\n"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--freq", type=float, default=440.0)
    parser.add_argument("--wav", required=True)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()

    ours = json.loads(await asyncio.get_event_loop().run_in_executor(None, sys.stdin.readline))
    pc = RTCPeerConnection()
    recorder = MediaRecorder(args.wav)

    @pc.on("track")
    def on_track(track):
        recorder.addTrack(track)

    pc.addTrack(Tone(args.freq))
    await pc.setLocalDescription(await pc.createOffer())
    offer = describe_offer(pc.localDescription.sdp)
    print(json.dumps(offer), flush=True)
    await pc.setRemoteDescription(RTCSessionDescription(answer_sdp(offer, ours), "answer"))
    await recorder.start()
    await asyncio.sleep(args.seconds)
    await recorder.stop()
    await pc.close()
    print(json.dumps({"done": True, "ice": pc.iceConnectionState}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
