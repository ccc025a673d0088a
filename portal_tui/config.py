"""App configuration: flags > PORTAL_* environment > config.toml > defaults."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from portal_tui import paths


class AppConfig(BaseSettings):
    """What the app needs before it can reach a portal."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    server: str = Field("", description="The portal's URL, e.g. https://portal.example.com")
    allow_http: bool = Field(False, description="Allow plain HTTP to a non-loopback server")
    ca_bundle: str | None = Field(None, description="A CA bundle to verify the server with")
    email: str = Field("", description="Pre-fill the login email")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=paths.config_file())
        return (init_settings, env_settings, toml)
