package io.tandem.telephony.sdp;

/** What {@link SdpNegotiator#answer} produces: the body to send and what the media layer must do. */
public record SdpAnswer(SessionDescription description, NegotiatedMedia media) {
}
