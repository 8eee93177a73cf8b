"""Presentation: the frames, words, titles and charts a briefing shows."""
