package io.tandem.backend.campaign;

/** A running campaign of a tenant, as a tick of the {@link CampaignScheduler} lists it. */
record RunningCampaign(String tenant, Campaign campaign) {
}
