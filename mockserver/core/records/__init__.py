"""The records of every area: plain data the state holds, below the code that acts on it."""
