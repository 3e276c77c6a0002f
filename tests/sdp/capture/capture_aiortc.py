"""Captures a real audio offer from aiortc (Debian's python3-aiortc) and prints it to stdout.

aiortc gathers before returning from setLocalDescription (no trickle), so the offer carries its
candidates. Loopback is allowed explicitly (see the project's peer notes).
Usage: python3 capture_aiortc.py [--video]
"""
import asyncio
import sys

import aioice.ice
from aiortc import RTCPeerConnection
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


async def main() -> None:
    pc = RTCPeerConnection()
    pc.addTrack(AudioStreamTrack())
    if "--video" in sys.argv[1:]:
        pc.addTrack(VideoStreamTrack())
    await pc.setLocalDescription(await pc.createOffer())
    sys.stdout.write(pc.localDescription.sdp)
    await pc.close()


asyncio.run(main())
