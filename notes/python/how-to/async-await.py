"""Run two coroutines concurrently by wrapping each in a task.

While one task waits (here: `asyncio.sleep`, standing in for I/O), the event
loop runs the other. Run it with `python async-await.py`.
"""
import asyncio


async def brew(drink, seconds):
    print(f"start {drink}")
    await asyncio.sleep(seconds)  # suspends this task; the loop runs the other one
    print(f"done {drink}")
    return drink


async def main():
    coffee = asyncio.create_task(brew("coffee", 0.2))
    tea = asyncio.create_task(brew("tea", 0.1))
    print("both tasks created; neither has started yet")
    # Awaiting `coffee` suspends main(), so both tasks start; tea finishes first.
    print(f"results: {[await coffee, await tea]}")


if __name__ == "__main__":
    asyncio.run(main())
