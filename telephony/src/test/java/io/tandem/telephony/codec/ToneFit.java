package io.tandem.telephony.codec;

/**
 * Measures how cleanly a block holds one tone: fits {@code a·sin + b·cos} at the given frequency
 * by least squares (phase and amplitude free, so codec and filter delays need no alignment) and
 * compares the fitted tone's energy with what is left over.
 */
final class ToneFit {
    final double amplitude;
    final double snrDb;

    private ToneFit(double amplitude, double snrDb) {
        this.amplitude = amplitude;
        this.snrDb = snrDb;
    }

    static ToneFit of(short[] s, int off, int len, double frequencyHz, int sampleRate) {
        double w = 2 * Math.PI * frequencyHz / sampleRate;
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int n = 0; n < len; n++) {
            double sn = Math.sin(w * n);
            double cn = Math.cos(w * n);
            double y = s[off + n];
            ss += sn * sn;
            cc += cn * cn;
            sc += sn * cn;
            ys += y * sn;
            yc += y * cn;
        }
        double det = ss * cc - sc * sc;
        double a = (ys * cc - yc * sc) / det;
        double b = (yc * ss - ys * sc) / det;
        double signal = 0, noise = 0;
        for (int n = 0; n < len; n++) {
            double fit = a * Math.sin(w * n) + b * Math.cos(w * n);
            double e = s[off + n] - fit;
            signal += fit * fit;
            noise += e * e;
        }
        double snr = 10 * Math.log10(signal / Math.max(noise, 1e-9));
        return new ToneFit(Math.hypot(a, b), snr);
    }

    static short[] tone(double frequencyHz, int sampleRate, int amplitude, int length) {
        short[] s = new short[length];
        for (int n = 0; n < length; n++) {
            s[n] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequencyHz * n / sampleRate));
        }
        return s;
    }

    static double rms(short[] s, int off, int len) {
        double e = 0;
        for (int n = 0; n < len; n++) {
            e += (double) s[off + n] * s[off + n];
        }
        return Math.sqrt(e / len);
    }
}
