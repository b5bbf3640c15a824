using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Deployment.Tests.SchemaValidation;

namespace MsaShop.Deployment.Tests;

/// <summary>Every rendered object is valid for the API that will receive it: Kubernetes 1.27, KEDA, Istio (v1beta1).</summary>
public sealed class SchemaTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_rendered_object_validates_against_the_Kubernetes_KEDA_and_Istio_schemas(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        var report = await SchemaValidator.ValidateAsync(manifests.Objects);

        Assert.Empty(report.Errors);
        Assert.Equal(manifests.Objects.Count, report.Validated);
    }

    [Fact]
    public async Task The_schema_check_rejects_wrong_types_missing_fields_and_unknown_kinds()
    {
        var mesh = await Overlay.RenderAsync(Overlay.MeshIstio);
        var deployment = mesh.Single("Deployment", "catalog").DeepClone().AsObject();
        deployment["spec"]!["replicas"] = "two";
        var scaledObject = mesh.Single("ScaledObject", "payment").DeepClone().AsObject();
        scaledObject["spec"]!["minReplicaCount"] = "zero";
        var authorization = mesh.Single("AuthorizationPolicy", "catalog").DeepClone().AsObject();
        authorization["spec"]!["action"] = "PERMIT";
        var service = mesh.Single("Service", "gateway").DeepClone().AsObject();
        service["spec"]!["ports"]![0]!.AsObject().Remove("port");
        var unknown =
            new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Gadget", ["metadata"] = new JsonObject { ["name"] = "x" } };

        var report = await SchemaValidator.ValidateAsync([deployment, scaledObject, authorization, service, unknown]);

        Assert.Equal(0, report.Validated);
        Assert.Equal([0, 1, 2, 3, 4], report.Errors.Select(e => e.Index).Order());
    }
}
