/**
 * Real SIP peers for interop tests: SIPp and baresip run as child processes on 127.0.0.1.
 *
 * <ul>
 *   <li>{@link io.tandem.telephony.peers.SippProcess} runs one SIPp scenario (built-in, or an XML
 *       from {@code src/test/resources/peers/sipp/}) and returns a {@link io.tandem.telephony.peers.SippResult}
 *       whose exit code is the verdict; its description (error log, final screen, output) goes into
 *       assertion messages.</li>
 *   <li>{@link io.tandem.telephony.peers.BaresipProcess} is a real softphone driven over ctrl_tcp
 *       (dial, answer, hangup, register) that reports {@link io.tandem.telephony.peers.BaresipEvent}s,
 *       sends a sine or WAV and records what it hears as a {@link io.tandem.telephony.peers.Recording}
 *       to check with Goertzel.</li>
 *   <li>{@link io.tandem.telephony.peers.FreePorts} and {@link io.tandem.telephony.testing.Await} are
 *       for any test that starts an external program.</li>
 * </ul>
 *
 * Every peer is killed by {@code close()} and, should a test forget, by a JVM shutdown hook; a
 * missing program fails the test with the package to install, never skips it. Work dirs (configs,
 * SIP traces, recordings, SIPp logs) stay under {@code target/peers/} for post-mortems.
 */
package io.tandem.telephony.peers;
