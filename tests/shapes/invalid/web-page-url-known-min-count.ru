# A web resource whose address is unknown (warning layer).
# expect: Warning shapes:WebPageUrlKnownShape-url sh:MinCountConstraintComponent id:web-resource/kita-living
PREFIX schema: <https://schema.org/>
DELETE DATA { <https://w3id.org/seirei/id/web-resource/kita-living> schema:url <https://www.kita.example.org/living/> }
