"""What a briefing shows: frames, words, labels and charts."""
