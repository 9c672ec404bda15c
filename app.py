# `python app.py` serves the chat, as `juesuan-qa serve` does.
import sys

from juesuan_qa.cli import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "serve", *sys.argv[1:]]
    main()
