package io.tandem.backend.trunk;

/**
 * The prompts a DID may play: the sound files of the node's prompt directory (the queue calls' media owns it, so it
 * is asked through this interface rather than read here).
 */
public interface PromptLibrary {

    /** True when {@code name} (a path under the directory, without {@code .wav}) is a prompt that can be played. */
    boolean exists(String name);
}
